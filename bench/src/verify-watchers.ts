/**
 * The checks of the watchers scenario (issue 13): every watch was taken and stored as sent; every
 * watcher whose alert price the drop reached has exactly one price_alert for the auction, stored
 * after the drop, and nothing else; the others have nothing at all; no member has one dedupe key
 * twice; and the sampled member streams got theirs live, once, with the stored id. A pure function
 * of what was planned, answered and read back.
 */
import type { WatchAnswer } from './load-watch.ts';
import type { MemberStream } from './member-streams.ts';
import { fmt, sample } from './verify-format.ts';
import type { Check } from './verify-input.ts';

export interface PlannedWatch {
  readonly memberId: string;
  readonly alertPrice: number;
  /** The drop reaches this alert price: the member should get exactly one price_alert. */
  readonly reached: boolean;
}

export interface StoredWatch {
  readonly memberId: string;
  readonly alertPrice: number | null;
}

export interface StoredNotification {
  /** bigint as a string, as the API sends it. */
  readonly id: string;
  readonly memberId: string;
  readonly kind: string;
  readonly auctionId: string;
  readonly dedupeKey: string;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface WatchersInput {
  readonly auctionId: string;
  /** Epoch ms of the price step that reaches the alert prices. */
  readonly dropAt: number;
  readonly priceAfter: number;
  readonly planned: readonly PlannedWatch[];
  readonly answers: readonly WatchAnswer[];
  readonly transport: { readonly transportErrors: number; readonly timeouts: number };
  /** The auction's rows in `watches`. */
  readonly watches: readonly StoredWatch[];
  /** Every notification of every planned member, of any kind and auction. */
  readonly notifications: readonly StoredNotification[];
  readonly streams: readonly MemberStream[];
}

export const priceAlertKey = (auctionId: string) => `price_alert:${auctionId}`;

export function verifyWatchers(input: WatchersInput): Check[] {
  return [
    checkWatchAnswers(input),
    checkStoredWatches(input),
    checkReachedAlerts(input),
    checkUnreachedNothing(input),
    checkNothingElse(input),
    checkNoDuplicates(input),
    checkStreams(input),
  ];
}

function byMember<T extends { readonly memberId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.memberId, [...(map.get(row.memberId) ?? []), row]);
  return map;
}

/** Every watcher's PUT answered once, 200 `{auctionId, alertPrice}` as sent; no transport errors. */
export function checkWatchAnswers(input: WatchersInput): Check {
  const answers = byMember(input.answers);
  const wrong: string[] = [];
  for (const p of input.planned) {
    const mine = answers.get(p.memberId) ?? [];
    if (mine.length !== 1) {
      wrong.push(`${p.memberId}: ${mine.length} answers`);
      continue;
    }
    const [a] = mine as [WatchAnswer];
    const body = parseJson(a.body) as { auctionId?: unknown; alertPrice?: unknown } | null;
    if (a.status !== 200 || body?.auctionId !== input.auctionId || body.alertPrice !== p.alertPrice)
      wrong.push(`${p.memberId}: ${a.status} ${a.body.slice(0, 120)}`);
  }
  const { transportErrors, timeouts } = input.transport;
  if (transportErrors + timeouts > 0) wrong.unshift(`${transportErrors} transport errors, ${timeouts} timeouts`);
  return {
    name: 'every watch answered 200 with the auction and the alert price sent',
    ok: wrong.length === 0,
    detail: `${fmt(input.answers.length)} answers for ${fmt(input.planned.length)} watchers; ${fmt(wrong.length)} wrong${sample(wrong)}`,
  };
}

/** The auction's watches are exactly the planned ones, each with its alert price. */
export function checkStoredWatches(input: WatchersInput): Check {
  const stored = byMember(input.watches);
  const planned = new Set(input.planned.map((p) => p.memberId));
  const wrong: string[] = [];
  for (const p of input.planned) {
    const rows = stored.get(p.memberId) ?? [];
    if (rows.length !== 1 || rows[0]?.alertPrice !== p.alertPrice)
      wrong.push(`${p.memberId}: ${rows.map((r) => r.alertPrice).join(', ') || 'no watch'}, sent ${p.alertPrice}`);
  }
  for (const w of input.watches) if (!planned.has(w.memberId)) wrong.push(`${w.memberId}: a watch nobody sent`);
  return {
    name: 'every watch stored once with its alert price',
    ok: wrong.length === 0,
    detail: `${fmt(input.watches.length)} watches stored for ${fmt(input.planned.length)} sent; ${fmt(wrong.length)} wrong${sample(wrong)}`,
  };
}

const isAlertOf = (n: StoredNotification, auctionId: string) => n.kind === 'price_alert' && n.auctionId === auctionId;

/** Each reached watcher: exactly one price_alert for the auction, its key, the new price and their alert price, stored after the drop. */
export function checkReachedAlerts(input: WatchersInput): Check {
  const notes = byMember(input.notifications);
  const key = priceAlertKey(input.auctionId);
  const wrong: string[] = [];
  const reached = input.planned.filter((p) => p.reached);
  for (const p of reached) {
    const alerts = (notes.get(p.memberId) ?? []).filter((n) => isAlertOf(n, input.auctionId));
    const [alert] = alerts;
    if (alerts.length !== 1 || alert === undefined) {
      wrong.push(`${p.memberId}: ${alerts.length} price_alerts`);
      continue;
    }
    if (alert.dedupeKey !== key) wrong.push(`${p.memberId}: dedupe key ${alert.dedupeKey}`);
    if (alert.createdAt < input.dropAt)
      wrong.push(`${p.memberId}: stored ${input.dropAt - alert.createdAt} ms before the drop`);
    if (alert.data.price !== input.priceAfter || alert.data.alertPrice !== p.alertPrice)
      wrong.push(
        `${p.memberId}: price ${String(alert.data.price)} for alert ${String(alert.data.alertPrice)}; the drop's is ${input.priceAfter}, the watch's ${p.alertPrice}`,
      );
  }
  return {
    name: 'each reached watcher has exactly one price_alert, after the drop, at the new price',
    ok: wrong.length === 0,
    detail: `${fmt(reached.length)} reached watchers; ${fmt(wrong.length)} wrong${sample(wrong)}`,
  };
}

/** Watchers whose alert price the drop does not reach: no notification of any kind. */
export function checkUnreachedNothing(input: WatchersInput): Check {
  const notes = byMember(input.notifications);
  const unreached = input.planned.filter((p) => !p.reached);
  const wrong = unreached.flatMap((p) =>
    (notes.get(p.memberId) ?? []).map((n) => `${p.memberId} (alert ${p.alertPrice}): ${n.kind} ${n.dedupeKey}`),
  );
  return {
    name: 'watchers whose alert price was not reached got nothing',
    ok: wrong.length === 0,
    detail: `${fmt(unreached.length)} unreached watchers; ${fmt(wrong.length)} notifications among them${sample(wrong)}`,
  };
}

/**
 * Reached watchers got nothing but their price_alert: they watched after the start (no
 * auction_starting) and did not bid.
 */
export function checkNothingElse(input: WatchersInput): Check {
  const reached = new Set(input.planned.filter((p) => p.reached).map((p) => p.memberId));
  const wrong = input.notifications
    .filter((n) => reached.has(n.memberId) && !isAlertOf(n, input.auctionId))
    .map((n) => `${n.memberId}: ${n.kind} ${n.dedupeKey}`);
  return {
    name: 'reached watchers got nothing but their price_alert',
    ok: wrong.length === 0,
    detail: `${fmt(wrong.length)} other notifications${sample(wrong)}`,
  };
}

/** No member holds one dedupe key twice (the unique index's promise, checked from the rows). */
export function checkNoDuplicates(input: WatchersInput): Check {
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const n of input.notifications) {
    const key = `${n.memberId} ${n.dedupeKey}`;
    if (seen.has(key)) wrong.push(key);
    seen.add(key);
  }
  return {
    name: 'no notification stored twice (member, dedupe key)',
    ok: wrong.length === 0,
    detail: `${fmt(input.notifications.length)} notifications, ${fmt(seen.size)} distinct keys${sample(wrong)}`,
  };
}

/**
 * Each sampled stream opened (200, text/event-stream) and said `: connected` before the drop; a
 * reached member's got exactly one
 * `notification` event, the stored price_alert with its id; an unreached member's got none.
 */
export function checkStreams(input: WatchersInput): Check {
  const stored = new Map(
    input.notifications.filter((n) => isAlertOf(n, input.auctionId)).map((n) => [n.memberId, n] as const),
  );
  const wrong: string[] = [];
  for (const s of input.streams) {
    if (s.status !== 200 || !(s.contentType ?? '').startsWith('text/event-stream')) {
      wrong.push(`${s.memberId}: stream answered ${s.status ?? s.error} ${s.contentType ?? ''}`.trim());
      continue;
    }
    if (s.connectedAt === null || s.connectedAt >= input.dropAt) {
      wrong.push(`${s.memberId}: not following the inbox before the drop (connected ${s.connectedAt ?? 'never'})`);
      continue;
    }
    const got = s.events.filter((e) => e.event === 'notification');
    if (!s.reached) {
      if (got.length > 0) wrong.push(`${s.memberId} (unreached): ${got.length} notification events`);
      continue;
    }
    const alert = stored.get(s.memberId);
    const [event] = got;
    const data = event?.data as { id?: unknown; kind?: unknown; auctionId?: unknown } | undefined;
    if (got.length !== 1 || event === undefined || alert === undefined) {
      wrong.push(`${s.memberId}: ${got.length} notification events, ${alert === undefined ? 'none' : 'one'} stored`);
    } else if (
      event.id !== alert.id ||
      data?.id !== alert.id ||
      data.kind !== 'price_alert' ||
      data.auctionId !== input.auctionId
    ) {
      wrong.push(`${s.memberId}: event ${event.id} ${JSON.stringify(event.data).slice(0, 120)}, stored ${alert.id}`);
    }
  }
  const reached = input.streams.filter((s) => s.reached).length;
  return {
    name: 'sampled member streams got their price_alert live, once, with the stored id',
    ok: wrong.length === 0,
    detail: `${fmt(input.streams.length)} streams (${fmt(reached)} reached, ${fmt(input.streams.length - reached)} not); ${fmt(wrong.length)} wrong${sample(wrong)}`,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
