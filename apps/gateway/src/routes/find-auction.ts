import { auctions, type Db, isAuctionLive } from '@dutch/db';
import { and, eq } from 'drizzle-orm';
import type { AuctionRow } from '../views/auction-view.ts';

/** The auction's row for a view, or undefined when there is none or it was withdrawn (deleted). */
export async function findAuction(db: Db, id: string): Promise<AuctionRow | undefined> {
  const [row] = await db
    .select()
    .from(auctions)
    .where(and(eq(auctions.id, id), isAuctionLive()));
  return row;
}
