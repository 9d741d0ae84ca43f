import { describe, expect, it } from 'vitest';
import type { NotificationItem } from '../api/types.ts';
import {
  badgeText,
  compareIds,
  describeUnread,
  EMPTY_INBOX,
  newestId,
  withArrival,
  withFirstPage,
  withOlderPage,
  withReadUpTo,
} from './inbox.ts';

function note(id: number, readAt: string | null = null): NotificationItem {
  return {
    id: String(id),
    kind: 'price_alert',
    auctionId: 'a1',
    message: `message ${id}`,
    data: { title: 'Lamp', price: 80 },
    createdAt: new Date(Date.UTC(2030, 0, 1, 12, 0, id)).toISOString(),
    readAt,
  };
}

const ids = (items: readonly NotificationItem[]) => items.map((item) => item.id);

describe('the inbox', () => {
  it('orders ids as numbers, past what a double holds', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareIds('42', '42')).toBe(0);
  });

  it('counts a live arrival once, however often it is delivered', () => {
    let inbox = withFirstPage(EMPTY_INBOX, { items: [note(2), note(1, 'read')], nextCursor: null, unreadCount: 1 });
    inbox = withArrival(inbox, note(3));
    inbox = withArrival(inbox, note(3));
    expect(ids(inbox.items)).toEqual(['3', '2', '1']);
    expect(inbox.unreadCount).toBe(2);
    expect(newestId(inbox)).toBe('3');
  });

  it('adds to the count of a first page what the stream delivered while it was read and it does not list', () => {
    // 11 and 12 came while the page was read; the page was read after 11 was stored, before 12.
    let inbox = withArrival(withArrival(EMPTY_INBOX, note(11)), note(12));
    inbox = withFirstPage(
      inbox,
      { items: [note(11), note(10)], nextCursor: 'c2', unreadCount: 2 },
      new Set(['11', '12']),
    );
    expect(ids(inbox.items)).toEqual(['12', '11', '10']);
    expect(inbox.unreadCount).toBe(3);
    expect(inbox.nextCursor).toBe('c2');
  });

  it('does not add what came before the page was asked for: the page counted it', () => {
    // 7 committed late (after 9): the page's count covers it though the page lists only the newest.
    const inbox = withFirstPage(withArrival(EMPTY_INBOX, note(7)), {
      items: [note(9)],
      nextCursor: 'c',
      unreadCount: 2,
    });
    expect(inbox.unreadCount).toBe(2);
    expect(ids(inbox.items)).toEqual(['9', '7']);
  });

  it('keeps older pages shown, and their cursor, when the first page is read again', () => {
    let inbox = withFirstPage(EMPTY_INBOX, { items: [note(4), note(3)], nextCursor: 'after-3', unreadCount: 4 });
    inbox = withOlderPage(inbox, { items: [note(2), note(1)], nextCursor: null, unreadCount: 4 });
    expect(inbox.unreadCount).toBe(4);
    inbox = withFirstPage(inbox, { items: [note(5), note(4)], nextCursor: 'after-4', unreadCount: 5 });
    expect(ids(inbox.items)).toEqual(['5', '4', '3', '2', '1']);
    expect(inbox.nextCursor).toBeNull();
    expect(inbox.unreadCount).toBe(5);
  });

  it('marks read up to an id, and takes the count from the server', () => {
    let inbox = withFirstPage(EMPTY_INBOX, { items: [note(3), note(2), note(1)], nextCursor: null, unreadCount: 3 });
    inbox = withReadUpTo(inbox, '2', '2030-01-01T13:00:00.000Z', 1);
    expect(inbox.items.map((item) => item.readAt)).toEqual([
      null,
      '2030-01-01T13:00:00.000Z',
      '2030-01-01T13:00:00.000Z',
    ]);
    expect(inbox.unreadCount).toBe(1);
  });

  it('fits big counts on the badge', () => {
    expect([badgeText(0), badgeText(7), badgeText(100)]).toEqual(['', '7', '99+']);
    expect([describeUnread(0), describeUnread(3)]).toEqual(['Notifications, none unread', 'Notifications, 3 unread']);
  });
});
