import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auctions } from '../schema.ts';
import { isAuctionLive } from './not-deleted.ts';

/** A drizzle transaction on Db. */
export type DbTx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The whole row of an auction not withdrawn, locked FOR UPDATE for a seller's change; undefined when there is none. */
export async function lockAuctionRow(tx: DbTx, id: string): Promise<typeof auctions.$inferSelect | undefined> {
  const [row] = await tx
    .select()
    .from(auctions)
    .where(and(eq(auctions.id, id), isAuctionLive()))
    .for('update');
  return row;
}
