import type { BidAccepted, EnglishBidAccepted } from '@dutch/contract';
import { admitEnglishBid, checkPointsBound } from '@dutch/domain';
import type { EnglishBidMessage } from '@dutch/stream';
import { v7 as uuidv7 } from 'uuid';
import type { CachedEnglish } from '../cache/auction-cache.ts';
import { answerRefusal, claimOf, claimOnCluster, keysOf, takeAllowance } from './bid-keys.ts';
import { enqueueBid, idempotencyOf } from './enqueue-bid.ts';
import type { BidPathDeps, PlaceBidInput } from './place-bid.ts';

interface EnglishBid extends Omit<PlaceBidInput, 'body'> {
  readonly amount: number;
}

/**
 * The end this gateway may refuse bids after. Its cached end can only lag: a leading bid in the
 * last extendSeconds may have moved the true end without this gateway hearing of it yet, and a
 * bid before the true end must never be refused for lateness. So with a soft close the end is
 * only certain once the auction closed; until then a bid past the cached end is queued and
 * settlement (which knows the end) decides it, or the bid script refuses it behind a queued close.
 */
function certainEndOf(auction: CachedEnglish): number {
  const certain = auction.closedAt !== null || auction.terms.extendSeconds === 0;
  return certain ? auction.lead.endsAt : Number.POSITIVE_INFINITY;
}

/**
 * An English bid, on the Dutch bid's path: the cached lead, the domain's admission at the
 * gateway's clock, and one script. BID_TOO_LOW is certain: the cached high bid is never above
 * the true one. INSUFFICIENT_POINTS only when even the bound of what the buyer could put in
 * (free points and a hold on this auction) cannot pay.
 */
export async function placeEnglishBid(
  deps: BidPathDeps,
  auction: CachedEnglish,
  bid: EnglishBid,
): Promise<BidAccepted> {
  const keys = keysOf(deps.layout, bid, `amount:${bid.amount}`);
  const now = deps.clock();
  const { lead, terms } = auction;
  const admitted = admitEnglishBid(terms, { highBid: lead.highBid, endsAt: certainEndOf(auction) }, bid, now);
  if (!admitted.ok) return answerRefusal(deps, keys, admitted.error);
  const replayed = await takeAllowance(deps, bid.buyerId, keys);
  if (replayed !== null) return replayed;
  const knownHold = lead.leaderId === bid.buyerId ? (lead.highBid ?? 0) : 0;
  const payable = checkPointsBound(deps.points?.spendableBoundOf(bid.buyerId, knownHold), bid.amount, 1);
  if (!payable.ok) return answerRefusal(deps, keys, payable.error, () => deps.limiter.giveBack(bid.buyerId));
  const claim = claimOf(deps, keys);
  if (claim === 'cluster') await claimOnCluster(deps, keys);
  const receiptId = uuidv7();
  const { auctionId, buyerId, amount } = bid;
  const answer: EnglishBidAccepted = { receiptId, status: 'PENDING', acceptedAt: new Date(now).toISOString(), amount };
  const message: EnglishBidMessage = {
    kind: 'english_bid',
    receiptId,
    auctionId,
    buyerId,
    amount,
    acceptedAt: now,
    ...idempotencyOf(keys, deps.idempotencyTtlSeconds),
  };
  // An English receipt is stored as one unit at its amount; `format` tells the views.
  const pending = {
    id: receiptId,
    format: 'english' as const,
    auctionId,
    buyerId,
    sellerId: terms.sellerId,
    quantity: 1,
    unitPrice: amount,
    total: amount,
    acceptedAt: now,
  };
  return enqueueBid(deps, { auctionId, buyerId, keys, claim, now, answer, pending, message });
}
