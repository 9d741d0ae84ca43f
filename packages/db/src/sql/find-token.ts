import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members, memberTokens } from '../schema.ts';

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
  const [row] = await db
    .select({
      memberId: memberTokens.memberId,
      secretHash: memberTokens.secretHash,
      revokedAt: memberTokens.revokedAt,
      points: members.points,
      heldPoints: members.heldPoints,
    })
    .from(memberTokens)
    .innerJoin(members, eq(members.id, memberTokens.memberId))
    .where(eq(memberTokens.id, tokenId))
    .for('share', { of: members });
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
