import type { ReceiptClose } from '@dutch/domain';
import type { Tx } from '../client.ts';

/**
 * Writes what a close decided on its receipts in one statement: an English leading receipt's
 * status (WON / RESERVE_NOT_MET), a uniform purchase's final unit price and rebate. Fields a
 * decision leaves out keep their value. Only a receipt still LEADING or PURCHASED changes, as the
 * close found it under the auction's lock; returns the ids changed.
 */
export async function updateClosedReceipts(tx: Tx, closes: readonly ReceiptClose[]): Promise<string[]> {
  if (closes.length === 0) return [];
  const rows = await tx<{ id: string }[]>`
    update receipts r set status = coalesce(u.status, r.status),
      final_unit_price = coalesce(u.final_unit_price, r.final_unit_price), rebate = coalesce(u.rebate, r.rebate)
    from unnest(${closes.map((c) => c.receiptId)}::uuid[], ${closes.map((c) => c.status ?? null)}::text[],
                ${closes.map((c) => c.finalUnitPrice ?? null)}::int4[], ${closes.map((c) => c.rebate ?? null)}::int8[])
      as u(id, status, final_unit_price, rebate)
    where r.id = u.id and r.status in ('LEADING', 'PURCHASED')
    returning r.id`;
  return rows.map((row) => row.id);
}
