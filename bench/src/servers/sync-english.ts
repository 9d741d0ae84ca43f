/**
 * The synchronous design's English bid: admitted at the server as a gateway would (shape, start,
 * own auction), then settled inside the request in one transaction of its own: the auction's row
 * locked with the consumer's own statement, the buyer and the previous leader locked, the domain's
 * settleEnglishBids on this one bid, and the consumer's writes (receipt, previous leader OUTBID,
 * hold and release rows, both balances, the lead). 200 when it leads, 409 with the reason when not.
 */
import {
  appendLedger,
  applyBalanceDeltas,
  insertReceipts,
  lockAuction,
  lockMembers,
  markOutbid,
  saveEnglishLead,
  type Tx,
} from '@dutch/db';
import {
  admitEnglishBid,
  balanceDeltasOf,
  type EnglishBidOutcome,
  type EnglishTerms,
  settleEnglishBids,
} from '@dutch/domain';
import type { Context } from 'hono';
import { v7 as uuidv7 } from 'uuid';

/** An English bid that passed admission, ready to settle under the auction's lock. */
export interface AdmittedEnglishBid {
  readonly auctionId: string;
  readonly sellerId: string;
  readonly receiptId: string;
  readonly buyerId: string;
  readonly amount: number;
  readonly acceptedAt: number;
}

const error = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message },
  ...extra,
});

/**
 * Admission without the lead: the lead is read under the lock, so the window's end and the
 * minimum next bid are decided there, where they are exact (a far end here lets every bid in).
 */
export async function admitEnglishRequest(
  c: Context,
  auctionId: string,
  terms: EnglishTerms,
  buyerId: string,
): Promise<AdmittedEnglishBid | Response> {
  let body: { amount?: unknown };
  try {
    body = await c.req.json();
  } catch {
    return c.json(error('INVALID_REQUEST', 'body: not JSON'), 400);
  }
  if (!Number.isSafeInteger(body.amount)) return c.json(error('INVALID_REQUEST', 'amount must be a whole number'), 400);
  const acceptedAt = Date.now();
  const open = { highBid: null, endsAt: Number.MAX_SAFE_INTEGER };
  const admitted = admitEnglishBid(terms, open, { buyerId, amount: body.amount as number }, acceptedAt);
  if (!admitted.ok) {
    const status = admitted.error.code === 'INVALID_REQUEST' ? 400 : 409;
    return c.json(error(admitted.error.code, admitted.error.message), status);
  }
  const { sellerId } = terms;
  return { auctionId, sellerId, receiptId: uuidv7(), buyerId, amount: admitted.value.amount, acceptedAt };
}

/** Settles one English bid under the auction's row lock, writing what the consumer would. */
export async function settleEnglishInTransaction(tx: Tx, bid: AdmittedEnglishBid): Promise<EnglishBidOutcome> {
  const { auctionId, buyerId, receiptId, amount, acceptedAt } = bid;
  const locked = await lockAuction(tx, auctionId, null);
  if (locked === null || locked.auction.format !== 'english') throw new Error(`English auction ${auctionId} vanished`);
  const { auction } = locked;
  const lockedAt = Date.now();
  // The members in a statement of their own, after the lock (see the Dutch path for why).
  const { leaderId } = auction.lead;
  const points = await lockMembers(tx, leaderId === null ? [buyerId] : [buyerId, leaderId]);
  const state = { lead: auction.lead, points, withdrawn: auction.withdrawn, closed: auction.closedAt !== null };
  const settlement = settleEnglishBids(auction.terms, state, [{ receiptId, buyerId, amount, acceptedAt }]);
  const outcome = settlement.outcomes[0];
  if (outcome === undefined) throw new Error('settlement decided nothing');
  const seq = auction.settledCount + 1;
  const receipt = {
    id: receiptId,
    buyerId,
    format: 'english' as const,
    quantity: 1,
    unitPrice: amount,
    total: amount,
    status: outcome.status,
    failureReason: outcome.status === 'FAILED' ? outcome.reason : null,
    acceptedAt,
    streamId: `${lockedAt}-${seq}`,
  };
  const batch = { auctionId, sellerId: bid.sellerId, firstSeq: seq, settledAt: Date.now() };
  const writes: Promise<unknown>[] = [
    insertReceipts(tx, batch, [receipt]),
    markOutbid(
      tx,
      settlement.outbid.map((x) => x.receiptId),
    ),
    saveEnglishLead(tx, { id: auctionId, lead: settlement.lead, settledCount: seq }),
  ];
  if (settlement.moves.length > 0) {
    writes.push(appendLedger(tx, settlement.moves));
    writes.push(applyBalanceDeltas(tx, balanceDeltasOf(settlement.moves)));
  }
  await Promise.all(writes);
  return outcome;
}

export function answerEnglishOutcome(c: Context, bid: AdmittedEnglishBid, outcome: EnglishBidOutcome): Response {
  const receipt = {
    receiptId: bid.receiptId,
    status: outcome.status,
    acceptedAt: new Date(bid.acceptedAt).toISOString(),
    amount: bid.amount,
  };
  if (outcome.status !== 'FAILED') return c.json(receipt, 200);
  return c.json(error(outcome.reason, `Bid not leading: ${outcome.reason}`, receipt), 409);
}
