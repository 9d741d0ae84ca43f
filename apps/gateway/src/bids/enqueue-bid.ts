import type { BidAccepted } from '@dutch/contract';
import {
  closingKey,
  encodeMessage,
  encodePendingReceipt,
  type PendingReceipt,
  type StreamMessage,
} from '@dutch/stream';
import { ApiError } from '../api-error.ts';
import type { BidBatcher } from './bid-batcher.ts';
import { type BidKeys, type KeyClaim, type KeyDeps, reused, SCRIPT_MODE } from './bid-keys.ts';

/** The bid path's deps, and the batcher that sends each turn's bids to Redis together. */
export interface EnqueueDeps extends KeyDeps {
  readonly batcher: BidBatcher;
}

/** A bid the domain admitted, ready for its shard's stream. */
export interface QueuedBid {
  readonly auctionId: string;
  readonly buyerId: string;
  readonly keys: BidKeys;
  readonly claim: KeyClaim;
  /** The gateway's clock when it admitted the bid (acceptedAt). */
  readonly now: number;
  /** The 202's body, kept for Idempotency-Key replays. */
  readonly answer: BidAccepted;
  readonly pending: PendingReceipt;
  readonly message: StreamMessage;
}

/** Settlement keeps the key with the receipt, so a retry is refused even if Redis forgets it. */
export function idempotencyOf(keys: BidKeys, ttlSeconds: number) {
  return keys.key === undefined ? {} : { idempotency: { key: keys.key, windowMs: ttlSeconds * 1000 } };
}

/**
 * Queues the bid with its pending receipt in one script (one per shard for all the bids of this
 * event-loop turn, see BidBatcher); a replay answers what the first request got. A bid stamped
 * before a close already queued for its auction is refused (it would settle after the close):
 * the auction has ended, whatever this gateway's cache said.
 */
export async function enqueueBid(deps: EnqueueDeps, bid: QueuedBid): Promise<BidAccepted> {
  const { keys, claim } = bid;
  const [outcome, value] = await deps.batcher.queue(
    keys.shard,
    {
      replay: keys.replayKey,
      closing: closingKey(deps.layout, keys.shard, bid.auctionId),
      ...(claim === 'single-redis' ? { claim: keys.claimKey } : {}),
    },
    {
      mode: SCRIPT_MODE[claim],
      receiptId: bid.answer.receiptId,
      pendingJson: encodePendingReceipt(bid.pending),
      fingerprint: keys.fingerprint,
      // Kept only for a key's replays: a bid without one need not encode its answer twice.
      answerJson: claim === 'no-key' ? '' : JSON.stringify(bid.answer),
      keyTtlSeconds: deps.idempotencyTtlSeconds,
      acceptedAt: bid.now,
      fields: encodeMessage(bid.message),
    },
  );
  if (outcome === 'queued') return bid.answer;
  if (outcome === 'reused') throw reused();
  // A replay or a late bid queued nothing: it must not use up the allowance takeAllowance() charged it.
  deps.limiter.giveBack(bid.buyerId);
  if (outcome === 'late') throw new ApiError('AUCTION_NOT_RUNNING', 'The auction has ended.');
  return JSON.parse(value) as BidAccepted;
}
