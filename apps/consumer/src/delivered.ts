import type { BidMessage, CloseMessage, EnglishBidMessage, RefundMessage, StreamMessage } from '@dutch/stream';

/** A decoded stream entry with the id it arrived under. */
export interface Delivered<M extends StreamMessage = StreamMessage> {
  readonly streamId: string;
  readonly message: M;
  /** The entry's fields as they arrived: what a dead letter keeps verbatim. */
  readonly fields?: readonly string[];
}

export type DeliveredBid = Delivered<BidMessage>;
export type DeliveredEnglishBid = Delivered<EnglishBidMessage>;
export type DeliveredRefund = Delivered<RefundMessage>;
export type DeliveredClose = Delivered<CloseMessage>;

/** Consecutive entries of one kind: each kind settles its run with one set of statements. */
export type Run =
  | { readonly kind: 'bid'; readonly entries: DeliveredBid[] }
  | { readonly kind: 'english_bid'; readonly entries: DeliveredEnglishBid[] }
  | { readonly kind: 'refund'; readonly entries: DeliveredRefund[] }
  | { readonly kind: 'close'; readonly entries: DeliveredClose[] };

/** Splits entries into consecutive runs of one kind, keeping stream order between runs. */
export function runsByKind(entries: readonly Delivered[]): Run[] {
  const runs: Run[] = [];
  let current: Delivered[] = [];
  const flush = () => {
    const kind = current[0]?.message.kind;
    if (kind !== undefined) runs.push({ kind, entries: current } as Run);
    current = [];
  };
  for (const entry of entries) {
    if (current.length > 0 && current[0]?.message.kind !== entry.message.kind) flush();
    current.push(entry);
  }
  flush();
  return runs;
}

/** Groups entries by auction, each group in stream order; groups in order of first appearance. */
export function groupByAuction(entries: readonly Delivered[]): Map<string, Delivered[]> {
  const groups = new Map<string, Delivered[]>();
  for (const entry of entries) {
    const group = groups.get(entry.message.auctionId);
    if (group === undefined) groups.set(entry.message.auctionId, [entry]);
    else group.push(entry);
  }
  return groups;
}

/**
 * The entries whose receipts are not settled yet, in order, each once: a receipt already in
 * Postgres was settled by an earlier delivery, and one twice in a batch is a redelivery of itself.
 */
export function unsettledOf<E extends Delivered<{ readonly receiptId: string } & StreamMessage>>(
  run: readonly E[],
  settled: Set<string>,
): E[] {
  const fresh: E[] = [];
  for (const entry of run) {
    if (settled.has(entry.message.receiptId)) continue;
    settled.add(entry.message.receiptId);
    fresh.push(entry);
  }
  return fresh;
}
