import type { Sql } from '../client.ts';

export interface TokenRow {
  readonly memberId: string;
  readonly secretHash: Buffer;
  readonly revoked: boolean;
  readonly points: number;
  readonly heldPoints: number;
}

/**
 * Tokens with their members' free and held points (which seed the gateway's points bounds), in
 * one statement for every token a gateway reads in an event-loop turn: first sight, and the
 * periodic re-read, which comes due for a whole burst's buyers within the same few seconds. A
 * plain read that waits for no writer: why a bound read this way is still safe is in the
 * gateway's points-bounds.ts. Unknown tokens are absent from the map.
 */
export async function findTokens(sql: Sql, tokenIds: readonly string[]): Promise<Map<string, TokenRow>> {
  const rows = await sql<(TokenRow & { id: string })[]>`
    select t.id, t.member_id as "memberId", t.secret_hash as "secretHash", t.revoked_at is not null as revoked,
           m.points, m.held_points as "heldPoints"
      from member_tokens t join members m on m.id = t.member_id
     where t.id = any(${[...tokenIds]}::uuid[])`;
  return new Map(rows.map(({ id, ...row }) => [id, row]));
}
