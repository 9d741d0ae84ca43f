import type { Millis } from './auction.ts';

export interface IdempotencyClaim {
  readonly key: string;
  /** The gateway's IDEMPOTENCY_TTL: a later request with the key inside it is a retry. */
  readonly windowMs: number;
}

/** A settled receipt that keeps its buyer's Idempotency-Key (the first made for it). */
export interface KeyedReceipt {
  readonly receiptId: string;
  readonly acceptedAt: Millis;
}

/** Where a buyer's Idempotency-Key is looked up: keys are scoped per buyer. */
export function idempotencyScope(buyerId: string, key: string): string {
  // A space cannot occur in a key (visible ASCII only), so scopes of different pairs differ.
  return `${buyerId} ${key}`;
}

/** The part of a queued bid (of any format) the idempotency rule reads. */
export interface KeyedBid {
  readonly receiptId: string;
  readonly buyerId: string;
  readonly acceptedAt: Millis;
  readonly idempotency?: IdempotencyClaim;
}

/**
 * The receipt this bid's Idempotency-Key already names within its window, or null; when null,
 * the bid becomes the key's first receipt in `keyed` (so a later retry in the same batch finds it).
 * Settlement runs one batch at a time under the auction's row lock and a true retry carries the
 * same body to the same auction, so the first receipt is either committed before or earlier here.
 */
export function claimIdempotencyKey(bid: KeyedBid, keyed: Map<string, KeyedReceipt>): string | null {
  if (bid.idempotency === undefined) return null;
  const scope = idempotencyScope(bid.buyerId, bid.idempotency.key);
  const first = keyed.get(scope);
  if (first !== undefined && bid.acceptedAt - first.acceptedAt < bid.idempotency.windowMs) return first.receiptId;
  keyed.set(scope, { receiptId: bid.receiptId, acceptedAt: bid.acceptedAt });
  return null;
}
