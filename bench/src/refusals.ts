/**
 * Answers that name no receipt: which statuses and codes a phase expects, and whether every bid
 * the gateway refused at once with 409 INSUFFICIENT_POINTS was one its buyer could not pay.
 */
import { type AuctionTerms, priceAt } from '@dutch/domain';

/** A bid refused 409 INSUFFICIENT_POINTS (no receipt), as the load generator saw it. */
export interface RefusedBid {
  readonly buyerId: string;
  readonly auctionId: string;
  readonly quantity: number;
  /** Epoch ms before the gateway stamped the bid, and after it answered. */
  readonly sentAt: number;
  readonly answeredAt: number;
}

/** What a buyer's points could have been: the start, and the purchases settled in the phase. */
export interface Spending {
  readonly total: number;
  /** settled_at: stamped when the batch's transaction starts, so before its commit. */
  readonly settledAt: number;
}

export interface RefusalVerdict {
  /** Refused although the buyer's points certainly covered the bid. */
  readonly wrong: readonly string[];
  /** Right because the buyer's points at the phase start were below the bid's cost. */
  readonly belowAtStart: number;
  /** Right only because of the buyer's own purchases settled before the answer, or a price step in flight. */
  readonly afterSpending: number;
  readonly buyers: number;
}

/**
 * A gateway refuses when its upper bound of the buyer's points is below unitPrice * quantity.
 * During a phase a buyer's points only fall (their purchases), so the bound is at least the
 * points at the answer, which are at least start - every purchase of theirs whose transaction
 * began by then. The refusal is certainly wrong when even that covers the highest price the bid
 * could have been stamped at (price at sentAt: prices only fall).
 */
export function judgeRefusals(
  refusals: readonly RefusedBid[],
  terms: ReadonlyMap<string, AuctionTerms>,
  startPoints: ReadonlyMap<string, number>,
  purchases: ReadonlyMap<string, readonly Spending[]>,
): RefusalVerdict {
  const wrong: string[] = [];
  let belowAtStart = 0;
  let afterSpending = 0;
  for (const r of refusals) {
    const auction = terms.get(r.auctionId);
    const start = startPoints.get(r.buyerId);
    if (auction === undefined || start === undefined) {
      wrong.push(`buyer ${r.buyerId} refused on auction ${r.auctionId}, which this phase did not bid on or fund`);
      continue;
    }
    const highestCost = priceAt(auction, r.sentAt) * r.quantity;
    const lowestCost = priceAt(auction, r.answeredAt) * r.quantity;
    const spentBy = (purchases.get(r.buyerId) ?? [])
      .filter((p) => p.settledAt <= r.answeredAt)
      .reduce((n, p) => n + p.total, 0);
    const lowest = start - spentBy;
    if (lowest >= highestCost) {
      wrong.push(
        `buyer ${r.buyerId} refused ${r.quantity} x ${priceAt(auction, r.sentAt)} = ${highestCost} with at least ${lowest} points`,
      );
    } else if (start < lowestCost) belowAtStart++;
    else afterSpending++;
  }
  return { wrong, belowAtStart, afterSpending, buyers: new Set(refusals.map((r) => r.buyerId)).size };
}

/**
 * The answers a phase did not expect, by status ("401") or by status and code ("409 SOLD_OUT").
 * An expected entry is either a whole status ("409": any code) or one status and code.
 */
export function unexpectedAnswers(
  statuses: Readonly<Record<string, number>>,
  statusCodes: Readonly<Record<string, number>>,
  expected: readonly string[],
): Record<string, number> {
  const unexpected: Record<string, number> = {};
  const add = (key: string, n: number) => {
    if (n > 0) unexpected[key] = (unexpected[key] ?? 0) + n;
  };
  for (const [status, n] of Object.entries(statuses)) {
    if (Number(status) >= 500 || expected.includes(status)) continue;
    let coded = 0;
    for (const [key, m] of Object.entries(statusCodes)) {
      if (!key.startsWith(`${status} `)) continue;
      coded += m;
      if (!expected.includes(key)) add(key, m);
    }
    add(status, n - coded);
  }
  return unexpected;
}
