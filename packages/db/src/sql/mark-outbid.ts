import type { Tx } from '../client.ts';

/**
 * Marks receipts settled in earlier runs as OUTBID, in one statement: their lead passed to a later
 * bid (the domain's EnglishSettlement.outbid). Only a LEADING receipt changes, so a redelivered
 * run cannot turn a WON or refunded receipt back. Returns the ids changed.
 */
export async function markOutbid(tx: Tx, receiptIds: readonly string[]): Promise<string[]> {
  if (receiptIds.length === 0) return [];
  const rows = await tx<{ id: string }[]>`
    update receipts set status = 'OUTBID'
    where id = any(${[...receiptIds]}::uuid[]) and status = 'LEADING'
    returning id`;
  return rows.map((row) => row.id);
}
