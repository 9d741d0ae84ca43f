import type { BidMessage, RefundMessage, StreamMessage } from '@dutch/stream';

/** A decoded stream entry with the id it arrived under. */
export interface Delivered<M extends StreamMessage = StreamMessage> {
  readonly streamId: string;
  readonly message: M;
  /** The entry's fields as they arrived: what a dead letter keeps verbatim. */
  readonly fields?: readonly string[];
}

export type DeliveredBid = Delivered<BidMessage>;
export type DeliveredRefund = Delivered<RefundMessage>;

/** Splits entries into consecutive runs of one kind, keeping stream order between runs. */
export function runsByKind(entries: readonly Delivered[]): (DeliveredBid[] | DeliveredRefund[])[] {
  const runs: (DeliveredBid[] | DeliveredRefund[])[] = [];
  let current: Delivered[] = [];
  for (const entry of entries) {
    if (current.length > 0 && current[0]?.message.kind !== entry.message.kind) {
      runs.push(current as DeliveredBid[] | DeliveredRefund[]);
      current = [];
    }
    current.push(entry);
  }
  if (current.length > 0) runs.push(current as DeliveredBid[] | DeliveredRefund[]);
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
