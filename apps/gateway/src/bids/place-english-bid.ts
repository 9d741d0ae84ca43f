import type { BidAccepted, EnglishBidAccepted } from '@dutch/contract';
import { admitEnglishBid, checkPointsBound } from '@dutch/domain';
import type { EnglishBidMessage } from '@dutch/stream';
import { v7 as uuidv7 } from 'uuid';
import type { CachedEnglish } from '../cache/auction-cache.ts';
import { answerRefusal, claimOf, claimOnCluster, keysOf, takeAllowance } from './bid-keys.ts';
import { checkPayable } from './check-payable.ts';
import { enqueueBid, idempotencyOf } from './enqueue-bid.ts';
import type { BidPathDeps, PlaceBidInput } from './place-bid.ts';

interface EnglishBid extends Omit<PlaceBidInput, 'body'> {
  readonly amount: number;
}

/** The auction as admission reads it, and the end it may refuse bids after. */
interface AdmissionView {
  readonly auction: CachedEnglish;
  readonly certainEnd: number;
}

/**
 * The end this gateway may refuse bids after. Issue 12: gateways "refuse bids after the end they
 * know (a stale end may only refuse, and the consumer re-checks against the true end)"; the
 * contract: a bid stamped before the end is never refused for lateness. Without a soft close, or
 * once the auction closed, the cached end is the end. With one it can lag: a leading bid in the
 * last extendSeconds may have moved the true end without this gateway hearing of it (the event
 * not received yet, or lost: the consumer publishes after its commit). So a bid at or after the
 * cached end asks the cache to confirm it from Postgres (reads shared by a burst, see
 * confirmEnd): still past it, the bid is refused; moved, the bid is admitted by the new end; not
 * confirmed (the read failed or is not due), it is queued as before and settlement, which knows
 * the end, decides. The one window left is a leading bid stamped before the end that no consumer
 * has committed yet: a bid refused then was late by everything committed, and the consumer
 * re-checks every bid it admits against the true end anyway.
 */
async function admissionViewOf(deps: BidPathDeps, auction: CachedEnglish, now: number): Promise<AdmissionView> {
  const certain = auction.closedAt !== null || auction.terms.extendSeconds === 0;
  if (certain || now < auction.lead.endsAt) return { auction, certainEnd: auction.lead.endsAt };
  const checked = await deps.auctions.confirmEnd(auction.id, now);
  const known = checked.auction ?? auction;
  return { auction: known, certainEnd: checked.confirmed ? known.lead.endsAt : Number.POSITIVE_INFINITY };
}

/**
 * An English bid, on the Dutch bid's path: the cached lead, the domain's admission at the
 * gateway's clock, and one script. BID_TOO_LOW is certain: the cached high bid is never above
 * the true one. INSUFFICIENT_POINTS only when even the bound of what the buyer could put in
 * (free points and a hold on this auction) cannot pay.
 */
export async function placeEnglishBid(deps: BidPathDeps, cached: CachedEnglish, bid: EnglishBid): Promise<BidAccepted> {
  const keys = keysOf(deps.layout, bid, `amount:${bid.amount}`);
  const now = deps.clock();
  const { auction: known, certainEnd } = await admissionViewOf(deps, cached, now);
  const { lead, terms } = known;
  const admitted = admitEnglishBid(terms, { highBid: lead.highBid, endsAt: certainEnd }, bid, now);
  if (!admitted.ok) return answerRefusal(deps, keys, admitted.error);
  const replayed = await takeAllowance(deps, bid.buyerId, keys);
  if (replayed !== null) return replayed;
  const knownHold = lead.leaderId === bid.buyerId ? (lead.highBid ?? 0) : 0;
  const payable = await checkPayable(deps.points, bid.buyerId, (points) =>
    checkPointsBound(points.spendableBoundOf(bid.buyerId, knownHold), bid.amount, 1),
  );
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
