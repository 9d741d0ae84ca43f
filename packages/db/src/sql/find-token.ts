import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members, memberTokens } from '../schema.ts';
import { preparedPerDb } from './prepared-per-db.ts';

export interface TokenRow {
  readonly memberId: string;
  readonly secretHash: Buffer;
  readonly revoked: boolean;
  readonly points: number;
  readonly heldPoints: number;
}

/**
 * The token's member, with the member's points read `for share`, so a settlement's point
 * change cannot commit between this read and the caller noting the bound (see the gateway's
 * points-bounds.ts). Undefined for an unknown token.
 */
export async function findToken(db: Db, tokenId: string): Promise<TokenRow | undefined> {
  const [row] = await prepared(db).execute({ tokenId });
  return row === undefined
    ? undefined
    : {
        memberId: row.memberId,
        secretHash: row.secretHash,
        revoked: row.revokedAt !== null,
        points: row.points,
        heldPoints: row.heldPoints,
      };
}

/** Built once per database handle: every gateway reads each token at first sight and again every minute. */
const prepared = preparedPerDb((db) =>
  db
    .select({
      memberId: memberTokens.memberId,
      secretHash: memberTokens.secretHash,
      revokedAt: memberTokens.revokedAt,
      points: members.points,
      heldPoints: members.heldPoints,
    })
    .from(memberTokens)
    .innerJoin(members, eq(members.id, memberTokens.memberId))
    .where(eq(memberTokens.id, sql.placeholder('tokenId')))
    .for('share', { of: members })
    .prepare('find_token'),
);
