import type { BidAccepted } from '@dutch/contract';
import type { DomainError } from '@dutch/domain';
import {
  decodeIdempotencyRecord,
  idempotencyClaimKey,
  idempotencyReplayKey,
  type KeyLayout,
  type QueueMode,
  type RedisClient,
  shardOf,
} from '@dutch/stream';
import { ApiError, fromDomain } from '../api-error.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** What the Idempotency-Key checks need of the bid path. */
export interface KeyDeps {
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly limiter: RateLimiter;
  readonly idempotencyTtlSeconds: number;
  /** A Redis Cluster: the Idempotency-Key claim (buyer's slot) cannot join the shard's script. */
  readonly cluster: boolean;
}

/**
 * Where the Idempotency-Key's claim is taken: no key at all, in the queueing script on a single
 * Redis, or before it on a cluster (where the claim's slot is the buyer's, not the shard's).
 */
export type KeyClaim = 'no-key' | 'single-redis' | 'cluster';

/** The one place the named claims become the values the queueing script compares. */
export const SCRIPT_MODE: Readonly<Record<KeyClaim, QueueMode>> = { 'no-key': '0', 'single-redis': 'K', cluster: 'R' };

/** Where a bid's Idempotency-Key lives in Redis, and what makes a retry the same request. */
export interface BidKeys {
  readonly shard: number;
  readonly key: string | undefined;
  readonly replayKey: string;
  readonly claimKey: string;
  readonly fingerprint: string;
}

export interface KeyedBid {
  readonly auctionId: string;
  readonly buyerId: string;
  readonly idempotencyKey: string | undefined;
}

/** `terms` is what else makes the request this one (Dutch: quantity and maxPrice; English: the amount). */
export function keysOf(layout: KeyLayout, bid: KeyedBid, terms: string): BidKeys {
  const shard = shardOf(bid.auctionId, layout.shards);
  const key = bid.idempotencyKey;
  return {
    shard,
    key,
    replayKey: idempotencyReplayKey(layout, shard, bid.buyerId, key ?? ''),
    claimKey: key === undefined ? '' : idempotencyClaimKey(layout, bid.buyerId, key),
    fingerprint: `${bid.auctionId}:${terms}`,
  };
}

export function claimOf(deps: KeyDeps, keys: BidKeys): KeyClaim {
  return keys.key === undefined ? 'no-key' : deps.cluster ? 'cluster' : 'single-redis';
}

export const reused = () =>
  new ApiError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.');

/** The earlier answer for a retry of a refused bid, or the refusal itself. */
export async function answerRefusal(
  deps: KeyDeps,
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

export async function claimOnCluster(deps: KeyDeps, keys: BidKeys): Promise<void> {
  const claimed = await deps.redis.set(keys.claimKey, keys.fingerprint, 'EX', deps.idempotencyTtlSeconds, 'NX', 'GET');
  if (claimed !== null && claimed !== keys.fingerprint) throw reused();
}

/** The answer an earlier request with this Idempotency-Key got, 'reused' if it was another request, or null. */
export function findEarlierAnswer(deps: KeyDeps, keys: BidKeys): Promise<BidAccepted | 'reused' | null> {
  return keys.key === undefined ? Promise.resolve(null) : earlierAnswer(deps, keys);
}

/**
 * Takes one bid from the buyer's allowance. When none is left, a retry of an earlier request
 * is still answered, with that request's answer: a replay queues nothing, so no rate limit
 * applies to it. Returns that answer, null when the bid may go on, or throws RATE_LIMITED.
 * The earlier answer is looked up only here, off the common path.
 */
export async function takeAllowance(deps: KeyDeps, buyerId: string, keys: BidKeys): Promise<BidAccepted | null> {
  const retryAfter = deps.limiter.take(buyerId);
  if (retryAfter === 0) return null;
  const answer = await findEarlierAnswer(deps, keys);
  if (answer !== null && answer !== 'reused') return answer;
  throw new ApiError('RATE_LIMITED', 'Too many bids; slow down.', undefined, { 'Retry-After': String(retryAfter) });
}

async function earlierAnswer(deps: KeyDeps, keys: BidKeys): Promise<BidAccepted | 'reused' | null> {
  const { claimKey, replayKey, fingerprint } = keys;
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
