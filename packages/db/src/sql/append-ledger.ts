import type { Tx } from '../client.ts';

export interface LedgerMove {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly receiptId: string;
}

/** Appends ledger rows (one per points move) in one statement. */
export function appendLedger(tx: Tx, kind: 'purchase' | 'refund', moves: readonly LedgerMove[]) {
  return tx`
    insert into points_ledger (kind, from_member, to_member, amount, receipt_id)
    select ${kind}, l.from_member, l.to_member, l.amount, l.receipt_id
    from unnest(${moves.map((m) => m.from)}::uuid[], ${moves.map((m) => m.to)}::uuid[],
                ${moves.map((m) => m.amount)}::int8[], ${moves.map((m) => m.receiptId)}::uuid[])
      as l(from_member, to_member, amount, receipt_id)`;
}
