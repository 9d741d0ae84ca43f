import { badgeText, describeUnread } from '../lib/inbox.ts';
import type { InboxStore, InboxView } from '../state/inbox.ts';
import { h, s, setText } from './dom.ts';
import { createNotificationList } from './notification-list.ts';

function bellIcon(): SVGSVGElement {
  return s(
    'svg',
    { viewBox: '0 0 24 24', width: 22, height: 22, 'aria-hidden': 'true', focusable: 'false' },
    s('path', {
      d: 'M12 2a6 6 0 0 0-6 6v3.6L4.3 15a1 1 0 0 0 .9 1.5h13.6a1 1 0 0 0 .9-1.5L18 11.6V8a6 6 0 0 0-6-6Zm0 20a3 3 0 0 0 2.8-2H9.2A3 3 0 0 0 12 22Z',
      fill: 'currentColor',
    }),
  );
}

function createPanelElements(onFollow: () => void) {
  const list = createNotificationList(onFollow);
  const markRead = h('button', { type: 'button', class: 'secondary', 'data-testid': 'mark-read' }, 'Mark all read');
  const older = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older');
  const message = h('p', { class: 'hint', 'data-testid': 'notifications-message' });
  const panel = h(
    'section',
    {
      id: 'notifications-panel',
      class: 'notifications-panel',
      'aria-labelledby': 'notifications-heading',
      hidden: true,
    },
    h('div', { class: 'panel-head' }, h('h2', { id: 'notifications-heading' }, 'Notifications'), markRead),
    message,
    list.element,
    older,
  );
  return { list, markRead, older, message, panel };
}

function describeState(view: InboxView): string {
  if (view.problem !== null) return view.problem;
  if (!view.loaded) return 'Loading…';
  if (view.items.length === 0) return 'Nothing yet. Watch an auction to hear when it starts or its price drops.';
  return view.connection === 'reconnecting' ? 'Live updates lost; reconnecting…' : '';
}

/**
 * The bell in the header: the unread count, and a panel with the notifications (newest first),
 * "Mark all read" (up to the newest shown) and older pages. New ones arrive live and are read out
 * politely to screen readers.
 */
export function createBell(inbox: InboxStore, signal: AbortSignal): HTMLElement {
  const count = h('span', { class: 'bell-count', 'data-testid': 'bell-count', 'aria-hidden': 'true' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'bell',
      'data-testid': 'bell',
      'aria-expanded': 'false',
      'aria-controls': 'notifications-panel',
    },
    bellIcon(),
    count,
  );
  const announce = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  };
  const { list, markRead, older, message, panel } = createPanelElements(close);
  const element = h('div', { class: 'bell-wrap' }, button, panel, announce);

  const paint = (view: InboxView) => {
    element.hidden = !view.signedIn;
    element.dataset.connection = view.connection;
    setText(count, badgeText(view.unreadCount));
    count.dataset.count = String(view.unreadCount);
    button.setAttribute('aria-label', describeUnread(view.unreadCount));
    markRead.disabled = view.unreadCount === 0;
    older.hidden = view.nextCursor === null;
    setText(message, describeState(view));
    list.show(view.items);
  };

  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
  });
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || panel.hidden) return;
    close();
    button.focus();
  });
  document.addEventListener(
    'click',
    (event) => {
      if (!panel.hidden && event.target instanceof Node && !element.contains(event.target)) close();
    },
    { signal },
  );
  markRead.addEventListener('click', () => void inbox.markAllRead());
  older.addEventListener('click', () => void inbox.loadOlder());
  inbox.onArrival((item) => setText(announce, `New notification: ${item.message}`), signal);
  inbox.subscribe(paint, signal);
  paint(inbox.get());
  return element;
}
