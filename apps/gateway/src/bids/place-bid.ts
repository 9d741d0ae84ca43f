import type { BidAccepted } from '@dutch/contract';
import { admitBid, checkPointsBound, type DomainError } from '@dutch/domain';
import {
  type BidMessage,
  decodeIdempotencyRecord,
  encodeMessage,
  encodePendingReceipt,
  idempotencyClaimKey,
  idempotencyReplayKey,
  type KeyLayout,
  pendingReceiptsKey,
  type QueueMode,
  queueBid,
  type RedisClient,
  shardOf,
  streamKey,
} from '@dutch/stream';
import { v7 as uuidv7 } from 'uuid';
import type { PointsBounds } from '../auth/points-bounds.ts';
import { ApiError, fromDomain } from '../api-error.ts';
import type { AuctionCache } from '../cache/auction-cache.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface BidPathDeps {
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly auctions: AuctionCache;
  readonly limiter: RateLimiter;
  /** Upper bounds of buyers' points: a bid even the bound cannot pay is refused before the queue. */
  readonly points?: PointsBounds;
  readonly clock: () => number;
  readonly idempotencyTtlSeconds: number;
  /** A Redis Cluster: the Idempotency-Key claim (buyer's slot) cannot join the shard's script. */
  readonly cluster: boolean;
}

export interface PlaceBidInput {
  readonly auctionId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly maxPrice: number;
  readonly idempotencyKey: string | undefined;
}

/**
 * Where the Idempotency-Key's claim is taken: no key at all, in the queueing script on a single
 * Redis, or before it on a cluster (where the claim's slot is the buyer's, not the shard's).
 */
type KeyClaim = 'no-key' | 'single-redis' | 'cluster';

/** The one place the named claims become the values the queueing script compares. */
const SCRIPT_MODE: Readonly<Record<KeyClaim, QueueMode>> = { 'no-key': '0', 'single-redis': 'K', cluster: 'R' };

const reused = () =>
  new ApiError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.');

/**
 * The hot path. No database: the auction comes from the in-process cache, the decision from
 * the domain at the gateway's clock, and the bid goes onto its shard's stream in one Redis
 * script (on a single Redis, the Idempotency-Key claim too). Checks follow the contract's
 * order: 404, 400, then 409s.
 *
 * An Idempotency-Key is claimed per buyer across every shard, so reusing it for another auction
 * (maybe on another shard) is refused, not taken for a new bid.
 */
export async function placeBid(deps: BidPathDeps, bid: PlaceBidInput): Promise<BidAccepted> {
  const auction = await deps.auctions.get(bid.auctionId);
  if (auction === null) throw new ApiError('NOT_FOUND', 'No such auction.');
  const keys = keysOf(deps.layout, bid);
  const now = deps.clock();
  const admitted = admitBid(auction.terms, auction.stock, bid, now);
  // A retry of a bid accepted earlier gets its original answer, even if the auction has
  // since sold out or ended: the bid was accepted then.
  if (!admitted.ok) return answerRefusal(deps, keys, admitted.error);
  const replayed = await takeAllowance(deps, bid.buyerId, () => findEarlierAnswer(deps, keys));
  if (replayed !== null) return replayed;
  const payable = checkPointsBound(deps.points?.boundOf(bid.buyerId), admitted.value.unitPrice, bid.quantity);
  // A retry of a bid accepted before the points were spent still gets its original answer;
  // a replay costs nothing, here as on the script's replay path.
  if (!payable.ok) return answerRefusal(deps, keys, payable.error, () => deps.limiter.giveBack(bid.buyerId));
  const claim: KeyClaim = keys.key === undefined ? 'no-key' : deps.cluster ? 'cluster' : 'single-redis';
  if (claim === 'cluster') await claimOnCluster(deps, keys);
  return enqueueBid(deps, { bid, sellerId: auction.terms.sellerId, keys, claim, now, price: admitted.value });
}

/** Where a bid's Idempotency-Key lives in Redis, and what makes a retry the same request. */
interface BidKeys {
  readonly shard: number;
  readonly key: string | undefined;
  readonly replayKey: string;
  readonly claimKey: string;
  readonly fingerprint: string;
}

function keysOf(layout: KeyLayout, bid: PlaceBidInput): BidKeys {
  const shard = shardOf(bid.auctionId, layout.shards);
  const key = bid.idempotencyKey;
  return {
    shard,
    key,
    replayKey: idempotencyReplayKey(layout, shard, bid.buyerId, key ?? ''),
    claimKey: key === undefined ? '' : idempotencyClaimKey(layout, bid.buyerId, key),
    fingerprint: `${bid.auctionId}:${bid.quantity}:${bid.maxPrice}`,
  };
}

/** The earlier answer for a retry of a refused bid, or the refusal itself. */
async function answerRefusal(
  deps: BidPathDeps,
  keys: BidKeys,
  error: DomainError,
  onReplay: () => void = () => {},
): Promise<BidAccepted> {
  const earlier = await findEarlierAnswer(deps, keys);
  if (earlier === 'reused') throw reused();
  if (earlier === null) throw fromDomain(error);
  onReplay();
  return earlier;
}

async function claimOnCluster(deps: BidPathDeps, keys: BidKeys): Promise<void> {
  const claimed = await deps.redis.set(keys.claimKey, keys.fingerprint, 'EX', deps.idempotencyTtlSeconds, 'NX', 'GET');
  if (claimed !== null && claimed !== keys.fingerprint) throw reused();
}

/** A bid the domain admitted, at the price and time it was admitted. */
interface AdmittedBid {
  readonly bid: PlaceBidInput;
  readonly sellerId: string;
  readonly keys: BidKeys;
  readonly claim: KeyClaim;
  readonly now: number;
  readonly price: { readonly unitPrice: number; readonly total: number };
}

/** Queues the bid with its pending receipt in one script; a replay answers what the first request got. */
async function enqueueBid(deps: BidPathDeps, admitted: AdmittedBid): Promise<BidAccepted> {
  const { bid, keys, claim, now } = admitted;
  const receiptId = uuidv7();
  const acceptedAt = new Date(now).toISOString();
  const answer: BidAccepted = { receiptId, status: 'PENDING', acceptedAt, unitPrice: admitted.price.unitPrice };
  const [outcome, value] = await queueBid(
    deps.redis,
    {
      stream: streamKey(deps.layout, keys.shard),
      pendingReceipts: pendingReceiptsKey(deps.layout, keys.shard),
      replay: keys.replayKey,
      ...(claim === 'single-redis' ? { claim: keys.claimKey } : {}),
    },
    {
      mode: SCRIPT_MODE[claim],
      receiptId,
      pendingJson: encodePendingReceipt({ ...pendingOf(admitted), id: receiptId }),
      fingerprint: keys.fingerprint,
      answerJson: JSON.stringify(answer),
      keyTtlSeconds: deps.idempotencyTtlSeconds,
      fields: encodeMessage(messageOf(admitted, receiptId, deps.idempotencyTtlSeconds)),
    },
  );
  if (outcome === 'reused') throw reused();
  if (outcome === 'queued') return answer;
  // A replay queued nothing: it must not use up the allowance takeAllowance() charged it.
  deps.limiter.giveBack(bid.buyerId);
  return JSON.parse(value) as BidAccepted;
}

function pendingOf({ bid, sellerId, price, now }: AdmittedBid) {
  const { auctionId, buyerId, quantity } = bid;
  return { auctionId, buyerId, sellerId, quantity, unitPrice: price.unitPrice, total: price.total, acceptedAt: now };
}

function messageOf({ bid, keys, price, now }: AdmittedBid, receiptId: string, ttlSeconds: number): BidMessage {
  return {
    kind: 'bid',
    receiptId,
    auctionId: bid.auctionId,
    buyerId: bid.buyerId,
    quantity: bid.quantity,
    unitPrice: price.unitPrice,
    acceptedAt: now,
    // Settlement keeps the key with the receipt, so a retry is refused even if Redis forgets it.
    ...(keys.key === undefined ? {} : { idempotency: { key: keys.key, windowMs: ttlSeconds * 1000 } }),
  };
}

/** The answer an earlier request with this Idempotency-Key got, 'reused' if it was another request, or null. */
function findEarlierAnswer(deps: BidPathDeps, keys: BidKeys): Promise<BidAccepted | 'reused' | null> {
  return keys.key === undefined
    ? Promise.resolve(null)
    : earlierAnswer(deps, keys.claimKey, keys.replayKey, keys.fingerprint);
}

/**
 * Takes one bid from the buyer's allowance. When none is left, a retry of an earlier request
 * is still answered, with that request's answer: a replay queues nothing, so no rate limit
 * applies to it. Returns that answer, null when the bid may go on, or throws RATE_LIMITED.
 * The earlier answer is looked up only here, off the common path.
 */
async function takeAllowance(
  deps: BidPathDeps,
  buyerId: string,
  earlier: () => Promise<BidAccepted | 'reused' | null>,
): Promise<BidAccepted | null> {
  const retryAfter = deps.limiter.take(buyerId);
  if (retryAfter === 0) return null;
  const answer = await earlier();
  if (answer !== null && answer !== 'reused') return answer;
  throw new ApiError('RATE_LIMITED', 'Too many bids; slow down.', undefined, { 'Retry-After': String(retryAfter) });
}

/** The answer an earlier request with this Idempotency-Key got, 'reused' if it was another request, or null. */
async function earlierAnswer(
  deps: BidPathDeps,
  claimKey: string,
  replayKey: string,
  fingerprint: string,
): Promise<BidAccepted | 'reused' | null> {
  if (!deps.cluster) {
    const record = await deps.redis.get(claimKey);
    if (record === null) return null;
    const { fingerprint: claimed, answerJson } = decodeIdempotencyRecord(record);
    if (claimed !== fingerprint) return 'reused';
    return answerJson === null ? null : (JSON.parse(answerJson) as BidAccepted);
  }
  const [claimed, answer] = await Promise.all([deps.redis.get(claimKey), deps.redis.get(replayKey)]);
  if (claimed !== null && claimed !== fingerprint) return 'reused';
  return claimed === fingerprint && answer !== null ? (JSON.parse(answer) as BidAccepted) : null;
}
