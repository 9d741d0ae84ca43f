import { HELD_STATUSES } from '@dutch/domain';
import type { Tx } from '../client.ts';

/** Units each buyer still holds in the auction (toward perBuyerLimit): buyer id -> units. */
export async function sumHeldUnits(
  tx: Tx,
  auctionId: string,
  buyerIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await tx<{ buyerId: string; held: number }[]>`
    select buyer_id as "buyerId", sum(quantity)::int8 as held from receipts
    where auction_id = ${auctionId} and buyer_id = any(${[...buyerIds]}::uuid[])
      and status = any(${[...HELD_STATUSES]}::text[])
    group by buyer_id`;
  return new Map(rows.map((row) => [row.buyerId, row.held]));
}
