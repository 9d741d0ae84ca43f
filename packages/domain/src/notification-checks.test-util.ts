import { expect } from 'vitest';
import { describeNotification } from './describe-notification.ts';
import type { NotificationData, NotificationDraft } from './notification.ts';

/** Every number the words show must come from the data: no figure (stock, reserve) is ever made up or looked up. */
export function expectOnlyDataNumbers(message: string, data: NotificationData): void {
  const shown = [...message.matchAll(/\d+/g)].map((m) => Number(m[0]));
  const known = new Set(Object.values(data).filter((v): v is number => typeof v === 'number'));
  for (const n of shown) expect(known, `${n} in "${message}"`).toContain(n);
}

/** Fields no buyer's notification may carry: they would reveal hidden stock or the reserve. */
const HIDDEN_FIELDS = ['stock', 'stockAfter', 'initialStock', 'unitsSold', 'soldCount', 'reservePrice', 'reserve'];

/** A buyer's draft: no hidden field, and words made only of its own data. */
export function expectBuyerSafe(draft: NotificationDraft): void {
  for (const field of HIDDEN_FIELDS) expect(draft.data).not.toHaveProperty(field);
  expectOnlyDataNumbers(describeNotification(draft.kind, draft.data), draft.data);
}

/** No two drafts share (memberId, dedupeKey): the inbox's unique key would drop one. */
export function expectUniqueKeys(drafts: readonly NotificationDraft[]): void {
  const keys = drafts.map((d) => `${d.memberId} ${d.dedupeKey}`);
  expect(new Set(keys).size).toBe(keys.length);
}
