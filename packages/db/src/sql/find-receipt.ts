import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { receipts } from '../schema.ts';

/** A settled receipt's row, or undefined while it is pending (or never was). */
export async function findReceiptRow(db: Db, id: string): Promise<typeof receipts.$inferSelect | undefined> {
  const [row] = await db.select().from(receipts).where(eq(receipts.id, id));
  return row;
}
