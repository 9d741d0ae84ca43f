import type { LedgerMove } from '@dutch/domain';
import type { Tx } from '../client.ts';

/**
 * Appends ledger rows, one per points move and of any kinds, in one statement and in the order
 * given (ids follow it, so a hold reads before the release that ends it).
 */
export function appendLedger(tx: Tx, moves: readonly LedgerMove[]) {
  return tx`
    insert into points_ledger (kind, from_member, to_member, amount, receipt_id)
    select l.kind, l.from_member, l.to_member, l.amount, l.receipt_id
    from unnest(${moves.map((m) => m.kind)}::text[], ${moves.map((m) => m.from)}::uuid[],
                ${moves.map((m) => m.to)}::uuid[], ${moves.map((m) => m.amount)}::int8[],
                ${moves.map((m) => m.receiptId)}::uuid[]) with ordinality
      as l(kind, from_member, to_member, amount, receipt_id, ord)
    order by l.ord`;
}
