import {
  checkBalancesMatchLedger,
  checkNoNegativeBalances,
  checkPointsConserved,
  checkReferences,
} from './audit-balances.ts';
import { checkEnglishLeads, checkUniformPrices } from './audit-closes.ts';
import { checkReceiptMoves, checkSettleOrder, checkStockHeld } from './audit-receipts.ts';
import type { Sql } from './client.ts';

/**
 * The engine's promises, checked against Postgres: what tests, benchmarks and fault drills
 * end with. Returns one line per broken promise; an empty list means all hold. `auctionIds`
 * limits the per-auction checks; the balance checks always cover every member.
 */
export async function auditLedger(sql: Sql, options: { auctionIds?: readonly string[] } = {}): Promise<string[]> {
  const scope = options.auctionIds === undefined ? sql`true` : sql`a.id = any(${[...options.auctionIds]}::uuid[])`;
  // One query at a time, in this order, so the problem lines keep their order.
  return [
    ...(await checkStockHeld(sql, scope)),
    ...(await checkNoNegativeBalances(sql)),
    ...(await checkBalancesMatchLedger(sql)),
    ...(await checkReferences(sql)),
    ...(await checkPointsConserved(sql)),
    ...(await checkReceiptMoves(sql, scope)),
    ...(await checkSettleOrder(sql, scope)),
    ...(await checkEnglishLeads(sql, scope)),
    ...(await checkUniformPrices(sql, scope)),
  ];
}
