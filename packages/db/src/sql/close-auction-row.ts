import type { Tx } from '../client.ts';

/** What a settled close writes on its auction row (the domain's ClosePlan, at closedAt). */
export interface AuctionClose {
  readonly id: string;
  /** Epoch ms. */
  readonly closedAt: number;
  readonly clearingPrice: number | null;
  readonly winnerId: string | null;
  readonly finalPrice: number | null;
}

/**
 * Marks a locked auction closed, once: a row already closed is left as it is and false comes
 * back, so a second close (a duplicate entry, another consumer's) can never write twice.
 */
export async function closeAuctionRow(tx: Tx, close: AuctionClose): Promise<boolean> {
  const rows = await tx`
    update auctions set closed_at = 'epoch'::timestamptz + ${close.closedAt}::int8 * interval '1 millisecond',
      clearing_price = ${close.clearingPrice}, winner_id = ${close.winnerId}, final_price = ${close.finalPrice}
    where id = ${close.id} and closed_at is null`;
  return rows.count === 1;
}
