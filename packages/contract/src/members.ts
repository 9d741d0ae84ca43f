import { GENDERS, MAX_AGE, MAX_CHARGE } from '@dutch/domain';
import { z } from '@hono/zod-openapi';
import { int, text, uuid } from './common.ts';

export const MemberCreate = z
  .strictObject({
    name: text().trim().min(1).max(100),
    age: int(0, MAX_AGE).optional(),
    gender: z.enum(GENDERS).optional(),
  })
  .openapi('MemberCreate');

export const Member = z
  .object({
    id: uuid,
    name: z.string(),
    points: z.number().int(),
    heldPoints: z.number().int().openapi({ description: 'Points held for English bids that lead; not spendable.' }),
    age: z.number().int().nullable(),
    gender: z.enum(GENDERS).nullable(),
  })
  .openapi('Member');

export const MemberCreated = Member.extend({
  token: z.string().openapi({ description: 'Shown once. Send it as `Authorization: Bearer <token>`.' }),
}).openapi('MemberCreated');

export const Charge = z.strictObject({ amount: int(1, MAX_CHARGE) }).openapi('Charge');
export const Points = z.object({ points: z.number().int() }).openapi('Points');
export const TokenIssued = z.object({ token: z.string() }).openapi('TokenIssued');

export type MemberCreate = z.infer<typeof MemberCreate>;
export type Member = z.infer<typeof Member>;
export type MemberCreated = z.infer<typeof MemberCreated>;
export type Charge = z.infer<typeof Charge>;
export type Points = z.infer<typeof Points>;
export type TokenIssued = z.infer<typeof TokenIssued>;
