import type { NotificationDraft } from '@dutch/domain';
import type { Sql, Tx } from '../client.ts';

/** A notification just stored, and whom to nudge about it. */
export interface InsertedNotification {
  /** The notification id (int8 read as a number; below 2^53). */
  readonly id: number;
  readonly memberId: string;
}

/**
 * Stores the domain's drafts in one statement, whatever their number, in the caller's
 * transaction (the one deciding what they say). A draft whose (member, dedupe key) is stored
 * already is skipped, as is a repeat within `drafts`: a redelivered settlement stores nothing
 * twice. Returns only the rows written, so only their members are nudged.
 */
export async function insertNotifications(
  tx: Sql | Tx,
  drafts: readonly NotificationDraft[],
): Promise<InsertedNotification[]> {
  if (drafts.length === 0) return [];
  return tx<InsertedNotification[]>`
    insert into notifications (member_id, kind, auction_id, receipt_id, data, dedupe_key)
    select d.member_id, d.kind, d.auction_id, d.receipt_id, d.data::jsonb, d.dedupe_key
    from unnest(${drafts.map((d) => d.memberId)}::uuid[], ${drafts.map((d) => d.kind)}::text[],
                ${drafts.map((d) => d.auctionId)}::uuid[], ${drafts.map((d) => d.receiptId)}::uuid[],
                ${drafts.map((d) => JSON.stringify(d.data))}::text[], ${drafts.map((d) => d.dedupeKey)}::text[])
      with ordinality as d(member_id, kind, auction_id, receipt_id, data, dedupe_key, ord)
    order by d.ord
    on conflict (member_id, dedupe_key) do nothing
    returning id, member_id as "memberId"`;
}
