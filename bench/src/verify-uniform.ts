/**
 * The checks a uniform-price Dutch auction adds once closed: one clearing price, the lowest
 * price anyone bought at; every buyer paid exactly it (their rebate gave back the rest); and the
 * ledger shows each purchase, the seller's hold on its takings, the hold's release at the close
 * and each rebate. A pure function of what was read back.
 */
import type { ReceiptRow } from '@dutch/testkit/receipts';
import type { LedgerRow } from './verify-english-input.ts';
import { fmt, sample } from './verify-format.ts';
import type { Check } from './verify-input.ts';

export interface UniformReceipt extends ReceiptRow {
  readonly rebate: number;
  /** null until the close. */
  readonly finalUnitPrice: number | null;
}

export interface UniformFacts {
  readonly id: string;
  readonly sellerId: string;
  readonly closedAt: number | null;
  readonly clearingPrice: number | null;
  /** The seller's held points after the close: nothing should be left held. */
  readonly sellerHeld: number;
}

export interface UniformInput {
  readonly auction: UniformFacts;
  readonly receipts: readonly UniformReceipt[];
  /** The ledger rows naming the auction's receipts. */
  readonly ledger: readonly LedgerRow[];
}

export function verifyUniform(input: UniformInput): Check[] {
  return [checkClearingPrice(input), checkEveryonePaidIt(input), checkUniformLedger(input)];
}

/** The lowest unit price among PURCHASED receipts; null when nothing sold. */
export function clearingPriceOf(receipts: readonly Pick<ReceiptRow, 'status' | 'unitPrice'>[]): number | null {
  const prices = receipts.filter((r) => r.status === 'PURCHASED').map((r) => r.unitPrice);
  return prices.length === 0 ? null : Math.min(...prices);
}

export function checkClearingPrice(input: UniformInput): Check {
  const { auction } = input;
  const expected = clearingPriceOf(input.receipts);
  const ok = auction.closedAt !== null && auction.clearingPrice === expected;
  const prices = new Map<number, number>();
  for (const r of input.receipts)
    if (r.status === 'PURCHASED') prices.set(r.unitPrice, (prices.get(r.unitPrice) ?? 0) + 1);
  const bought = [...prices]
    .sort((a, b) => b[0] - a[0])
    .map(([price, n]) => `${fmt(n)} at ${price}`)
    .join(', ');
  return {
    name: 'closed at the clearing price: the lowest price bought at',
    ok,
    detail:
      `${auction.closedAt === null ? 'not closed' : 'closed'}; clearing price ${auction.clearingPrice}, ` +
      `lowest PURCHASED unit price ${expected} (purchases: ${bought || 'none'})`,
  };
}

/** Every PURCHASED receipt: finalUnitPrice = clearing price, total − rebate = clearing price × quantity. */
export function checkEveryonePaidIt(input: UniformInput): Check {
  const clearing = input.auction.clearingPrice;
  const wrong: string[] = [];
  let rebated = 0;
  let rebateTotal = 0;
  for (const r of input.receipts) {
    if (r.status !== 'PURCHASED') {
      if (r.rebate !== 0) wrong.push(`${r.status} ${r.id} got a rebate of ${r.rebate}`);
      continue;
    }
    if (r.rebate > 0) rebated++;
    rebateTotal += r.rebate;
    if (clearing === null || r.finalUnitPrice !== clearing || r.total - r.rebate !== clearing * r.quantity) {
      wrong.push(
        `${r.id}: ${r.quantity} x ${r.unitPrice} = ${r.total}, rebate ${r.rebate}, final unit price ${r.finalUnitPrice}, clearing ${clearing}`,
      );
    }
  }
  const purchased = input.receipts.filter((r) => r.status === 'PURCHASED').length;
  return {
    name: 'every buyer paid the clearing price',
    ok: wrong.length === 0,
    detail:
      `${fmt(purchased)} PURCHASED receipts: total − rebate = clearing price × quantity; ` +
      `${fmt(rebated)} rebated, ${fmt(rebateTotal)} points in all; ${fmt(wrong.length)} wrong` +
      sample(wrong),
  };
}

/** The rows one uniform receipt calls for once closed. */
export function expectedUniformMoves(r: UniformReceipt): string[] {
  if (r.status !== 'PURCHASED') return [];
  const seller = `${r.sellerId}->${r.sellerId}`;
  return [
    `purchase ${r.total} ${r.buyerId}->${r.sellerId}`,
    `hold ${r.total} ${seller}`,
    `release ${r.total} ${seller}`,
    ...(r.rebate > 0 ? [`rebate ${r.rebate} ${r.sellerId}->${r.buyerId}`] : []),
  ];
}

export function checkUniformLedger(input: UniformInput): Check {
  const rows = new Map<string, string[]>();
  for (const l of input.ledger) {
    rows.set(l.receiptId, [...(rows.get(l.receiptId) ?? []), `${l.kind} ${l.amount} ${l.from}->${l.to}`]);
  }
  const wrong: string[] = [];
  for (const r of input.receipts) {
    const want = expectedUniformMoves(r).sort();
    const have = (rows.get(r.id) ?? []).sort();
    if (want.join('|') !== have.join('|'))
      wrong.push(`${r.status} ${r.id}: [${have.join(', ')}], expected [${want.join(', ')}]`);
  }
  const { sellerHeld } = input.auction;
  if (sellerHeld !== 0) wrong.unshift(`the seller still holds ${sellerHeld} points after the close`);
  const kinds = new Map<string, number>();
  for (const l of input.ledger) kinds.set(l.kind, (kinds.get(l.kind) ?? 0) + 1);
  return {
    name: 'purchases, holds, releases and rebates in the ledger',
    ok: wrong.length === 0,
    detail:
      `${fmt(input.ledger.length)} rows (${[...kinds].map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}); ` +
      `seller holds ${fmt(sellerHeld)} after the close; ${fmt(wrong.length)} wrong` +
      sample(wrong),
  };
}
