import { GENDERS } from '@dutch/domain';
import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, insertedAt, isOneOf, ms } from './column-types.ts';

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    age: smallint('age'),
    gender: text('gender', { enum: GENDERS }),
    /** Free points: what the member can spend. */
    points: bigint('points', { mode: 'number' }).notNull().default(0),
    /** Points held for the member's leading English bids (and, for a uniform seller, takings owed rebates). */
    heldPoints: bigint('held_points', { mode: 'number' }).notNull().default(0),
    createdAt: insertedAt('created_at'),
  },
  (t) => [
    check('members_points_non_negative', sql`${t.points} >= 0`),
    check('members_held_points_non_negative', sql`${t.heldPoints} >= 0`),
    check('members_gender_known', isOneOf(t.gender, GENDERS)),
  ],
);

/** Bearer tokens: the secret is shown once and only its SHA-256 is kept. */
export const memberTokens = pgTable(
  'member_tokens',
  {
    id: uuid('id').primaryKey(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    secretHash: bytea('secret_hash').notNull(),
    createdAt: insertedAt('created_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('member_tokens_member_idx').on(t.memberId)],
);
