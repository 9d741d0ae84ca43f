import type { AuctionFormat, AuctionTerms, Millis } from './auction.ts';
import { type EnglishLead, type EnglishTerms, reserveMet } from './english.ts';
import type { LedgerMove } from './ledger.ts';
import { closedStateOf } from './settle-bids.ts';

/** A Dutch receipt that is PURCHASED when the close settles. */
export interface PurchasedReceipt {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
}

export type CloseInput =
  | {
      readonly format: 'dutch';
      readonly terms: AuctionTerms;
      readonly stock: number;
      /** The auction's PURCHASED receipts now (refunded ones are gone from it, their holds already released). */
      readonly purchases: readonly PurchasedReceipt[];
    }
  | { readonly format: 'english'; readonly terms: EnglishTerms; readonly lead: EnglishLead };

/** What the close writes on one receipt. */
export interface ReceiptClose {
  readonly receiptId: string;
  /** English: what the leading receipt becomes. */
  readonly status?: 'WON' | 'RESERVE_NOT_MET';
  /** Uniform Dutch: the clearing price, and the points given back on this receipt. */
  readonly finalUnitPrice?: number;
  readonly rebate?: number;
}

export interface ClosePlan {
  /** sold_out: a Dutch auction closed with stock 0 before its end. */
  readonly status: 'ended' | 'sold_out';
  /** Uniform Dutch only; null when nothing sold, and always for pay-as-bid and English. */
  readonly clearingPrice: number | null;
  /** English only: the winner, null when unsold or the reserve was not met. */
  readonly winnerId: string | null;
  /** English only: the winning amount (= highBid when WON). */
  readonly finalPrice: number | null;
  readonly receipts: readonly ReceiptClose[];
  /**
   * Ledger rows, in order. Uniform: per receipt the seller's hold is released, then the rebate paid;
   * English WON: the winner's hold is released, then paid to the seller; RESERVE_NOT_MET: released.
   */
  readonly moves: readonly LedgerMove[];
}

/** What closesNow and closeDueAt read of an auction. */
export interface ClosingAuction {
  readonly format: AuctionFormat;
  readonly stock: number;
  readonly startsAt: Millis;
  /** The CURRENT end (English extensions included). */
  readonly endsAt: Millis;
}

/**
 * Whether a close entry appended for the end `closeFor` closes the auction now. An English end
 * can move after the entry was appended (a soft-close extension settled first): that entry is
 * premature and changes nothing; the closer appends another for the new end.
 */
export function closesNow(auction: Pick<ClosingAuction, 'format' | 'stock' | 'endsAt'>, closeFor: Millis): boolean {
  if (auction.format === 'dutch' && auction.stock === 0) return true;
  return closeFor >= auction.endsAt;
}

/**
 * When the closer should append a close: a Dutch auction that sold out at once (its stock is 0
 * only after sales, so it has started), any other at its current end plus the grace that lets
 * every gateway's bid stamped before the end reach the stream first.
 */
export function closeDueAt(auction: ClosingAuction, graceMs: number): Millis {
  if (auction.format === 'dutch' && auction.stock === 0) return auction.startsAt;
  return auction.endsAt + graceMs;
}

/** Decides a close; `closedAt` is when it settles (the consumer's clock). Assumes closesNow said yes. */
export function closeAuction(input: CloseInput, closedAt: Millis): ClosePlan {
  if (input.format === 'english') return closeEnglish(input.terms, input.lead);
  const status = input.stock === 0 && closedStateOf(input.terms, closedAt)?.by === 'sold_out' ? 'sold_out' : 'ended';
  if (input.terms.pricing !== 'uniform') {
    return { status, clearingPrice: null, winnerId: null, finalPrice: null, receipts: [], moves: [] };
  }
  return { status, winnerId: null, finalPrice: null, ...closeUniform(input.terms.sellerId, input.purchases) };
}

/**
 * The clearing price is the lowest unit price paid; every purchase is rebated down to it. The
 * seller's hold on each receipt (its total) is released first, so every rebate (at most the total)
 * is covered whatever the seller spent meanwhile.
 */
function closeUniform(
  sellerId: string,
  purchases: readonly PurchasedReceipt[],
): Pick<ClosePlan, 'clearingPrice' | 'receipts' | 'moves'> {
  if (purchases.length === 0) return { clearingPrice: null, receipts: [], moves: [] };
  // A fold, not Math.min(...): an auction can have more purchases than a call has arguments.
  const clearingPrice = purchases.reduce((low, p) => Math.min(low, p.unitPrice), Number.POSITIVE_INFINITY);
  const receipts: ReceiptClose[] = [];
  const moves: LedgerMove[] = [];
  for (const p of purchases) {
    const rebate = (p.unitPrice - clearingPrice) * p.quantity;
    receipts.push({ receiptId: p.receiptId, finalUnitPrice: clearingPrice, rebate });
    moves.push({ kind: 'release', from: sellerId, to: sellerId, amount: p.total, receiptId: p.receiptId });
    if (rebate > 0)
      moves.push({ kind: 'rebate', from: sellerId, to: p.buyerId, amount: rebate, receiptId: p.receiptId });
  }
  return { clearingPrice, receipts, moves };
}

/** The leader wins if the reserve is met (their hold goes to the seller), else gets the hold back. */
function closeEnglish(terms: EnglishTerms, lead: EnglishLead): ClosePlan {
  const unsold: ClosePlan = {
    status: 'ended',
    clearingPrice: null,
    winnerId: null,
    finalPrice: null,
    receipts: [],
    moves: [],
  };
  const { highBid, leaderId, leadingReceiptId } = lead;
  if (highBid === null || leaderId === null || leadingReceiptId === null) return unsold;
  const release: LedgerMove = {
    kind: 'release',
    from: leaderId,
    to: leaderId,
    amount: highBid,
    receiptId: leadingReceiptId,
  };
  if (!reserveMet(terms, highBid)) {
    return { ...unsold, receipts: [{ receiptId: leadingReceiptId, status: 'RESERVE_NOT_MET' }], moves: [release] };
  }
  const purchase: LedgerMove = {
    kind: 'purchase',
    from: leaderId,
    to: terms.sellerId,
    amount: highBid,
    receiptId: leadingReceiptId,
  };
  return {
    ...unsold,
    winnerId: leaderId,
    finalPrice: highBid,
    receipts: [{ receiptId: leadingReceiptId, status: 'WON' }],
    moves: [release, purchase],
  };
}
