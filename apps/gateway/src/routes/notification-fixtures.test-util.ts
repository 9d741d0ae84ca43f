import { insertNotifications } from '@dutch/db';
import type { NotificationData, NotificationDraft } from '@dutch/domain';
import { encodeEvent, eventsChannel, notifyEventsOf } from '@dutch/stream';
import type { TestGateway } from '@dutch/testkit';
import { v4 as uuidv4 } from 'uuid';

let sequence = 0;

/** A draft of a given kind for a member, with the data its words use and a key of its own. */
export function draftFor(memberId: string, kind: NotificationDraft['kind'] = 'price_alert'): NotificationDraft {
  const auctionId = uuidv4();
  const n = ++sequence;
  if (kind === 'receipt' || kind === 'rebate') {
    const receiptId = uuidv4();
    const data: NotificationData =
      kind === 'receipt'
        ? { title: `Lamp ${n}`, status: 'PURCHASED', quantity: 2, unitPrice: 300 }
        : { title: `Lamp ${n}`, rebate: 40, finalUnitPrice: 280 };
    return { memberId, kind, auctionId, receiptId, data, dedupeKey: `${kind}:${receiptId}:${n}` };
  }
  const data = { title: `Lamp ${n}`, price: 500, alertPrice: 600 };
  return { memberId, kind, auctionId, receiptId: null, data, dedupeKey: `${kind}:${auctionId}:${n}` };
}

/**
 * Stores drafts as the consumer does (one statement, committed) and returns their ids as the API
 * shows them, in the order given; `nudge` then publishes the notify event a consumer publishes
 * after its commit.
 */
export async function store(t: TestGateway, drafts: readonly NotificationDraft[], nudge = false): Promise<string[]> {
  const inserted = await insertNotifications(t.db.sql, drafts);
  if (inserted.length !== drafts.length) throw new Error('a draft was not stored');
  if (nudge)
    await publishNotify(
      t,
      drafts.map((d) => d.memberId),
    );
  return inserted.map((row) => String(row.id));
}

export async function publishNotify(t: TestGateway, memberIds: readonly string[]): Promise<void> {
  for (const event of notifyEventsOf(memberIds)) await t.redis.publish(eventsChannel(t.layout), encodeEvent(event));
}
