import type { BidAccepted, BidCreate, DutchBidAccepted } from '@dutch/contract';
import { admitBid, checkPointsBound, type Violation } from '@dutch/domain';
import type { BidMessage } from '@dutch/stream';
import { v7 as uuidv7 } from 'uuid';
import { ApiError } from '../api-error.ts';
import type { PointsBounds } from '../auth/points-bounds.ts';
import type { AuctionCache, CachedDutch } from '../cache/auction-cache.ts';
import { answerRefusal, claimOf, claimOnCluster, keysOf, takeAllowance } from './bid-keys.ts';
import { checkPayable } from './check-payable.ts';
import { type EnqueueDeps, enqueueBid, idempotencyOf } from './enqueue-bid.ts';
import { placeEnglishBid } from './place-english-bid.ts';

export interface BidPathDeps extends EnqueueDeps {
  readonly auctions: AuctionCache;
  /** Upper bounds of buyers' points: a bid even the bound cannot pay is refused before the queue. */
  readonly points?: PointsBounds;
  readonly clock: () => number;
}

export interface PlaceBidInput {
  readonly auctionId: string;
  readonly buyerId: string;
  /** A Dutch body {quantity, maxPrice} or an English one {amount}; the auction's format says which it must be. */
  readonly body: BidCreate;
  readonly idempotencyKey: string | undefined;
}

/**
 * The hot path. No database: the auction comes from the in-process cache, the decision from
 * the domain at the gateway's clock, and the bid goes onto its shard's stream in one Redis
 * script (on a single Redis, the Idempotency-Key claim too). Checks follow the contract's
 * order: 404, 400 (a body of the other format is only known to be wrong once the auction is),
 * then 409s.
 *
 * An Idempotency-Key is claimed per buyer across every shard, so reusing it for another auction
 * (maybe on another shard) is refused, not taken for a new bid.
 */
export async function placeBid(deps: BidPathDeps, bid: PlaceBidInput): Promise<BidAccepted> {
  const auction = await deps.auctions.get(bid.auctionId);
  if (auction === null) throw new ApiError('NOT_FOUND', 'No such auction.');
  if (auction.format === 'english') {
    if (!('amount' in bid.body)) throw wrongBody('English', ['amount'], Object.keys(bid.body));
    return placeEnglishBid(deps, auction, { ...bid, amount: bid.body.amount });
  }
  if (!('quantity' in bid.body)) throw wrongBody('Dutch', ['quantity', 'maxPrice'], Object.keys(bid.body));
  return placeDutchBid(deps, auction, { ...bid, quantity: bid.body.quantity, maxPrice: bid.body.maxPrice });
}

/** A body of the other format: 400 naming the fields it lacks and the ones it should not have. */
function wrongBody(format: 'Dutch' | 'English', wanted: readonly string[], sent: readonly string[]): ApiError {
  const auction = `${format === 'English' ? 'an' : 'a'} ${format} auction`;
  const violations: Violation[] = [
    ...wanted.map((field) => ({ field, rule: 'required', message: `is required to bid on ${auction}` })),
    ...sent.map((field) => ({ field, rule: 'format_mismatch', message: `is not a field of a bid on ${auction}` })),
  ];
  const message = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return new ApiError('INVALID_REQUEST', message, violations);
}

interface DutchBid extends Omit<PlaceBidInput, 'body'> {
  readonly quantity: number;
  readonly maxPrice: number;
}

async function placeDutchBid(deps: BidPathDeps, auction: CachedDutch, bid: DutchBid): Promise<BidAccepted> {
  const keys = keysOf(deps.layout, bid, `${bid.quantity}:${bid.maxPrice}`);
  const now = deps.clock();
  const admitted = admitBid(auction.terms, auction.stock, bid, now);
  // A retry of a bid accepted earlier gets its original answer, even if the auction has
  // since sold out or ended: the bid was accepted then.
  if (!admitted.ok) return answerRefusal(deps, keys, admitted.error);
  const replayed = await takeAllowance(deps, bid.buyerId, keys);
  if (replayed !== null) return replayed;
  const { unitPrice, total } = admitted.value;
  const payable = await checkPayable(deps.points, bid.buyerId, (points) =>
    checkPointsBound(points.boundOf(bid.buyerId), unitPrice, bid.quantity),
  );
  // A retry of a bid accepted before the points were spent still gets its original answer;
  // a replay costs nothing, here as on the script's replay path.
  if (!payable.ok) return answerRefusal(deps, keys, payable.error, () => deps.limiter.giveBack(bid.buyerId));
  const claim = claimOf(deps, keys);
  if (claim === 'cluster') await claimOnCluster(deps, keys);
  const receiptId = uuidv7();
  const answer: DutchBidAccepted = { receiptId, status: 'PENDING', acceptedAt: new Date(now).toISOString(), unitPrice };
  const { auctionId, buyerId, quantity } = bid;
  const message: BidMessage = {
    kind: 'bid',
    receiptId,
    auctionId,
    buyerId,
    quantity,
    unitPrice,
    acceptedAt: now,
    ...idempotencyOf(keys, deps.idempotencyTtlSeconds),
  };
  const sellerId = auction.terms.sellerId;
  const pending = { id: receiptId, auctionId, buyerId, sellerId, quantity, unitPrice, total, acceptedAt: now };
  return enqueueBid(deps, { auctionId, buyerId, keys, claim, now, answer, pending, message });
}
