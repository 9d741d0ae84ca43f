import type { NotificationItem } from '../api/types.ts';
import { formatClock } from '../lib/format.ts';
import { hrefOf } from '../lib/routes.ts';
import { h, setText, syncChildren } from './dom.ts';

export interface NotificationList {
  readonly element: HTMLOListElement;
  show(items: readonly NotificationItem[]): void;
}

/** A short label per kind, so the list can be scanned without reading every message. */
const KIND_WORDS: Record<NotificationItem['kind'], string> = {
  receipt: 'Your bid',
  rebate: 'Money back',
  auction_starting: 'Starting',
  price_alert: 'Price alert',
  ending_soon: 'Ending soon',
  sold: 'Sold',
};

function paintItem(row: HTMLLIElement, item: NotificationItem): void {
  const unread = item.readAt === null;
  row.dataset.kind = item.kind;
  row.dataset.unread = String(unread);
  row.className = unread ? 'notification unread' : 'notification';
  const [kind, link, time] = [row.children[0], row.children[1], row.children[2]];
  if (kind !== undefined) setText(kind, unread ? `${KIND_WORDS[item.kind]} · new` : KIND_WORDS[item.kind]);
  if (link !== undefined) setText(link, item.message);
  if (time !== undefined) setText(time, formatClock(Date.parse(item.createdAt)));
}

/** The member's notifications, newest first; each links to its auction. Rows are kept by id. */
export function createNotificationList(onFollow: () => void): NotificationList {
  const element = h('ol', { class: 'notifications', 'data-testid': 'notifications' });
  const rows = new Map<string, HTMLLIElement>();
  return {
    element,
    show(items) {
      const shown = items.map((item) => {
        let row = rows.get(item.id);
        if (row === undefined) {
          const link = h('a', { href: hrefOf({ name: 'auction', id: item.auctionId }) });
          link.addEventListener('click', onFollow);
          row = h(
            'li',
            { 'data-testid': 'notification', 'data-id': item.id },
            h('p', { class: 'notification-kind' }),
            link,
            h('p', { class: 'hint' }),
          );
          rows.set(item.id, row);
        }
        paintItem(row, item);
        return row;
      });
      syncChildren(element, shown);
    },
  };
}
