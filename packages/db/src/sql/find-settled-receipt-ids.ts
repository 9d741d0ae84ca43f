import type { Tx } from '../client.ts';

/** Which of these receipts are already in Postgres: settled by an earlier delivery. */
export async function findSettledReceiptIds(tx: Tx, receiptIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx<{ id: string }[]>`select id from receipts where id = any(${[...receiptIds]}::uuid[])`;
  return new Set(rows.map((row) => row.id));
}
