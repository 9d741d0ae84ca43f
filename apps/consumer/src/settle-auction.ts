import { insertNotifications, type Sql, type Tx } from '@dutch/db';
import {
  type BidOutcome,
  balanceDeltasOf,
  type EnglishBidOutcome,
  type LedgerMove,
  type NotificationDraft,
  type RefundOutcome,
  uniqueDrafts,
} from '@dutch/domain';
import type { ClosedEvent, CreditEvent, LeadEvent } from '@dutch/stream';
import { type Delivered, type Run, runsByKind } from './delivered.ts';
import { lockOwnedAuction, type OwnedAuction } from './lock-owned-auction.ts';
import { lockRunMembers } from './lock-run-members.ts';
import { settleBidRun } from './settle-bid-run.ts';
import { type CloseOutcome, settleCloseRun } from './settle-close-run.ts';
import { settleEnglishRun } from './settle-english-run.ts';
import { settleRefundRun } from './settle-refund-run.ts';
import type { Fence } from './shard-locks.ts';

export interface AuctionSettlement {
  readonly auctionId: string;
  /** False when the auction does not exist: nothing can be settled against it. */
  readonly found: boolean;
  readonly stock: number;
  readonly initialStock: number;
  readonly stockChanged: boolean;
  readonly bidOutcomes: readonly BidOutcome[];
  readonly englishOutcomes: readonly EnglishBidOutcome[];
  readonly refundOutcomes: readonly RefundOutcome[];
  readonly closeOutcomes: readonly CloseOutcome[];
  readonly duplicates: number;
  readonly acceptedAt: readonly number[];
  /** An English lead taken in this transaction: published after the commit. */
  readonly lead: LeadEvent | null;
  /** The close settled in this transaction: published after the commit. */
  readonly closed: ClosedEvent | null;
  /** The end of a Dutch auction this transaction sold out and left open: its close is appended after the commit. */
  readonly soldOutFor: number | null;
  /** Members who got a notification stored by this transaction (each once): nudged after the commit. */
  readonly notified: readonly string[];
  /** Notifications this transaction stored. */
  readonly notificationsStored: number;
}

/** Publishes a credit on the events channel (and resolves once Redis has it). */
export type PublishCredit = (event: CreditEvent) => Promise<void>;

/** What the runs of one transaction add up to, as they settle. */
interface Tally {
  bidOutcomes: BidOutcome[];
  englishOutcomes: EnglishBidOutcome[];
  refundOutcomes: RefundOutcome[];
  closeOutcomes: CloseOutcome[];
  acceptedAt: number[];
  moves: LedgerMove[];
  notifications: NotificationDraft[];
  duplicates: number;
  closed: ClosedEvent | null;
}

/**
 * Settles one auction's entries from a batch in ONE transaction, under the auction's row
 * lock: bids (Dutch or English), refunds and closes in stream order. Nothing is acknowledged
 * here; the caller XACKs only after this commits.
 *
 * Points a member gains (a sale, a refund, a rebate, held points released) are published
 * BEFORE the commit, while their rows are locked, so a gateway's upper bound of them never
 * misses a credit (apps/gateway/src/auth/points-bounds.ts). A publish that fails rolls the
 * settlement back.
 *
 * The notifications the runs decided (receipts, rebates, sold) are stored in this transaction
 * too, in one statement: never after the commit, where a crash would lose them. A redelivered
 * entry decides nothing new, so it stores nothing; the (member, dedupe key) index would refuse a
 * second copy anyway.
 */
export async function settleAuction(
  sql: Sql,
  auctionId: string,
  entries: readonly Delivered[],
  fence: Fence | null,
  settledAt: number,
  /** Null only where no gateway can be listening (tests of settlement alone). */
  publishCredit: PublishCredit | null,
): Promise<AuctionSettlement> {
  return sql.begin(async (tx) => {
    const auction = await lockOwnedAuction(tx, auctionId, fence);
    if (auction === null) return notFound(auctionId);
    const stockBefore = auction.stock;
    const tally: Tally = {
      ...{ bidOutcomes: [], englishOutcomes: [], refundOutcomes: [], closeOutcomes: [] },
      ...{ acceptedAt: [], moves: [], notifications: [], duplicates: 0, closed: null },
    };
    const runs = runsByKind(entries);
    await lockRunMembers(tx, auction, runs);
    for (const run of runs) await settleRun(tx, auction, run, settledAt, tally);
    const [stored] = await Promise.all([
      storeNotifications(tx, tally.notifications),
      publishCredit === null ? null : publishCredits(tally.moves, publishCredit),
    ]);
    return { ...settlementOf(auction, tally, auction.stock !== stockBefore), ...stored };
  });
}

type Stored = Pick<AuctionSettlement, 'notified' | 'notificationsStored'>;

/** One insert for the whole transaction (none when nothing was decided); whom the new ones are for. */
async function storeNotifications(tx: Tx, drafts: readonly NotificationDraft[]): Promise<Stored> {
  if (drafts.length === 0) return { notified: [], notificationsStored: 0 };
  const inserted = await insertNotifications(tx, uniqueDrafts(drafts));
  return { notified: [...new Set(inserted.map((row) => row.memberId))], notificationsStored: inserted.length };
}

function settlementOf(
  auction: OwnedAuction,
  tally: Tally,
  stockChanged: boolean,
): Omit<AuctionSettlement, keyof Stored> {
  const { bidOutcomes, englishOutcomes, refundOutcomes, closeOutcomes, duplicates, acceptedAt, closed } = tally;
  return {
    ...{ auctionId: auction.id, found: true, stock: auction.stock, stockChanged },
    initialStock: auction.format === 'dutch' ? auction.terms.initialStock : 1,
    ...{ bidOutcomes, englishOutcomes, refundOutcomes, closeOutcomes, duplicates, acceptedAt, closed },
    lead: leadOf(auction, englishOutcomes),
    soldOutFor: soldOutFor(auction, stockChanged),
  };
}

/** Settles one run by its kind, adding what it did to the tally. */
async function settleRun(tx: Tx, auction: OwnedAuction, run: Run, settledAt: number, tally: Tally): Promise<void> {
  if (run.kind === 'refund') {
    const result = await settleRefundRun(tx, auction, run.entries, settledAt);
    tally.refundOutcomes.push(...result.outcomes);
    tally.moves.push(...result.moves);
    tally.notifications.push(...result.notifications);
    tally.duplicates += result.duplicates;
  } else if (run.kind === 'close') {
    const result = await settleCloseRun(tx, auction, run.entries, settledAt);
    tally.closeOutcomes.push(...result.outcomes);
    tally.moves.push(...result.moves);
    tally.notifications.push(...result.notifications);
    tally.duplicates += result.outcomes.filter((x) => x === 'duplicate').length;
    if (result.closed !== null) tally.closed = closedEventOf(auction.id, result.closed);
  } else {
    const result = await settleBidsOfFormat(tx, auction, run, settledAt);
    if (run.kind === 'bid') tally.bidOutcomes.push(...(result.outcomes as BidOutcome[]));
    else tally.englishOutcomes.push(...(result.outcomes as EnglishBidOutcome[]));
    tally.acceptedAt.push(...result.acceptedAt);
    tally.moves.push(...result.moves);
    tally.notifications.push(...result.notifications);
    tally.duplicates += result.duplicates;
  }
}

/**
 * A run of bids of the auction's own format. The gateway only queues those: a bid of the other
 * format is an entry settlement cannot take, retried and then dead-lettered like any other.
 */
function settleBidsOfFormat(
  tx: Tx,
  auction: OwnedAuction,
  run: Extract<Run, { kind: 'bid' | 'english_bid' }>,
  settledAt: number,
) {
  if (run.kind === 'bid' && auction.format === 'dutch') return settleBidRun(tx, auction, run.entries, settledAt);
  if (run.kind === 'english_bid' && auction.format === 'english') {
    return settleEnglishRun(tx, auction, run.entries, settledAt);
  }
  throw new Error(`a ${run.kind} entry for ${auction.format} auction ${auction.id}`);
}

/**
 * What each member gains in free points by the transaction (net, so a member who gains and
 * spends in it is credited only the difference): the transaction commits as a whole.
 */
async function publishCredits(moves: readonly LedgerMove[], publishCredit: PublishCredit): Promise<void> {
  const gains = [...balanceDeltasOf(moves).points].filter(([, amount]) => amount > 0);
  await Promise.all(gains.map(([memberId, amount]) => publishCredit({ type: 'credit', memberId, amount })));
}

/** The lead after the transaction, when a bid took it. */
function leadOf(auction: OwnedAuction, outcomes: readonly EnglishBidOutcome[]): LeadEvent | null {
  if (auction.format !== 'english' || !outcomes.some((x) => x.status === 'LEADING' || x.status === 'OUTBID')) {
    return null;
  }
  const { highBid, bidCount, leaderId, endsAt } = auction.lead;
  if (highBid === null || leaderId === null) return null;
  return { type: 'lead', auctionId: auction.id, highBid, bidCount, leaderId, endsAt };
}

function closedEventOf(
  auctionId: string,
  { plan, closedAt }: NonNullable<Awaited<ReturnType<typeof settleCloseRun>>['closed']>,
): ClosedEvent {
  const { status, winnerId, finalPrice, clearingPrice } = plan;
  return { type: 'closed', auctionId, status, closedAt, winnerId, finalPrice, clearingPrice };
}

/** A Dutch auction that sold out here and is still open closes at once (the closer would too, later). */
function soldOutFor(auction: OwnedAuction, stockChanged: boolean): number | null {
  if (auction.format !== 'dutch' || !stockChanged || auction.stock !== 0 || auction.closedAt !== null) return null;
  return auction.terms.endsAt;
}

function notFound(auctionId: string): AuctionSettlement {
  return {
    ...{ auctionId, found: false, stock: 0, initialStock: 0, stockChanged: false },
    ...{ bidOutcomes: [], englishOutcomes: [], refundOutcomes: [], closeOutcomes: [], duplicates: 0, acceptedAt: [] },
    ...{ lead: null, closed: null, soldOutFor: null, notified: [], notificationsStored: 0 },
  };
}
