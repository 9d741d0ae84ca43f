import {
  type AuctionDraft,
  ENDING_SOON_MS,
  type EnglishDraft,
  type NotificationDraft,
  notificationsOfWatch,
  stepCount,
  validateAuction,
  WATCH_ALERT_KINDS,
  type WatchedAuction,
} from '@dutch/domain';
import { createMember, createMembers, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import fc from 'fast-check';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishLeadOf, englishTermsOf, termsOf } from '../auction-terms.ts';
import { auctionValues, englishAuctionValues } from '../auction-values.ts';
import { openBook } from '../audit-fixtures.test-util.ts';
import { auctions } from '../schema.ts';
import { insertDueWatchNotifications } from './insert-due-watch-notifications.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const BASE = Date.UTC(2030, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** Watches written straight to the table (upsertWatch has its own tests): the scheduler reads only rows. */
async function watchAll(
  auctionId: string,
  watchers: readonly { id: string; alertPrice: number | null; createdAt: number }[],
) {
  await db.sql`
    insert into watches (member_id, auction_id, alert_price, created_at)
    select m, ${auctionId}, p, 'epoch'::timestamptz + c * interval '1 millisecond'
    from unnest(${watchers.map((w) => w.id)}::uuid[], ${watchers.map((w) => w.alertPrice)}::int4[],
                ${watchers.map((w) => w.createdAt)}::int8[]) as t(m, p, c)`;
}

/** The stored notifications of these auctions, as drafts, in a fixed order. */
async function storedDrafts(auctionIds: readonly string[]): Promise<NotificationDraft[]> {
  const rows = await db.sql<NotificationDraft[]>`
    select member_id as "memberId", kind, auction_id as "auctionId", receipt_id as "receiptId", data,
           dedupe_key as "dedupeKey"
    from notifications where auction_id = any(${auctionIds}::uuid[])`;
  return sortDrafts(rows.map((row) => ({ ...row })));
}

const sortDrafts = (drafts: NotificationDraft[]) =>
  drafts.sort((a, b) => `${a.memberId}${a.dedupeKey}`.localeCompare(`${b.memberId}${b.dedupeKey}`));

describe('insertDueWatchNotifications', () => {
  it('stores a price alert for each of 10,000 watchers in one call, and nothing on the next', async () => {
    const book = openBook(db);
    const seller = await createMember(db.sql);
    // 100 falling by 10 a minute from BASE: 50 at BASE + 5 min.
    const auction = await book.dutch(seller, { title: 'Ten thousand' });
    const ids = await createMembers(
      db.sql,
      Array.from({ length: 10_000 }, () => 0),
      undefined,
      'watcher',
    );
    // Watching since after the start: no auction_starting, only the price alert.
    await watchAll(
      auction,
      ids.map((id) => ({ id, alertPrice: 60, createdAt: BASE + 1 })),
    );
    const now = BASE + 5 * 60_000;
    const started = performance.now();
    const inserted = await insertDueWatchNotifications(db.sql, now);
    const ms = performance.now() - started;
    expect(inserted).toHaveLength(10_000);
    expect(new Set(inserted.map((row) => row.memberId))).toEqual(new Set(ids));
    expect(inserted.every((row) => Number.isSafeInteger(row.id))).toBe(true);
    const [stored] = await db.sql<{ n: number; kinds: string[]; data: unknown }[]>`
      select count(*)::int as n, array_agg(distinct kind) as kinds, min(data::text)::jsonb as data
      from notifications where auction_id = ${auction}`;
    expect(stored).toEqual({
      n: 10_000,
      kinds: ['price_alert'],
      data: { title: 'Ten thousand', price: 50, alertPrice: 60 },
    });
    expect(await insertDueWatchNotifications(db.sql, now)).toEqual([]);
    expect(await insertDueWatchNotifications(db.sql, now + 60_000)).toEqual([]);
    // Each watch records the alert, so later rounds need not look in the inbox for it.
    const [alerted] = await db.sql<{ kinds: string[][] }[]>`
      select array_agg(distinct alerted) as kinds from watches where auction_id = ${auction}`;
    expect(alerted?.kinds).toEqual([['price_alert']]);
    console.info(`10,000 price alerts stored by one statement in ${Math.round(ms)} ms`);
  });

  it('two schedulers at once store each alert once', async () => {
    const book = openBook(db);
    const seller = await createMember(db.sql);
    const auction = await book.dutch(seller, { startsAt: BASE + 3_600_000, endsAt: BASE + 4_200_000 });
    const ids = await createMembers(
      db.sql,
      Array.from({ length: 2_000 }, () => 0),
    );
    await watchAll(
      auction,
      ids.map((id) => ({ id, alertPrice: 100, createdAt: BASE })),
    );
    const now = BASE + 3_600_000;
    const [a, b] = await Promise.all([
      insertDueWatchNotifications(db.sql, now),
      insertDueWatchNotifications(db.sql, now),
    ]);
    // auction_starting and price_alert (100 at the start) for each watcher, split between the two.
    expect((a?.length ?? 0) + (b?.length ?? 0)).toBe(4_000);
    const [count] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from notifications where auction_id = ${auction}`;
    expect(count?.n).toBe(4_000);
  });

  it('stores nothing again for a watch made anew after its alert, and records the alert on it', async () => {
    const book = openBook(db);
    const seller = await createMember(db.sql);
    const [watcher] = (await createMembers(db.sql, [0])) as [string];
    const auction = await book.dutch(seller);
    await watchAll(auction, [{ id: watcher, alertPrice: 90, createdAt: BASE - 1 }]);
    const now = BASE + 120_000;
    expect(await insertDueWatchNotifications(db.sql, now)).toHaveLength(2);
    // Unwatched and watched again: the new row has had no alert, the inbox has both.
    await db.sql`delete from watches where member_id = ${watcher}`;
    await watchAll(auction, [{ id: watcher, alertPrice: 80, createdAt: BASE - 1 }]);
    expect(await insertDueWatchNotifications(db.sql, now)).toEqual([]);
    const [row] = await db.sql<{ alerted: string[] }[]>`select alerted from watches where member_id = ${watcher}`;
    expect(row?.alerted.sort()).toEqual(['auction_starting', 'price_alert']);
    const [count] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from notifications where member_id = ${watcher}`;
    expect(count?.n).toBe(2);
  });

  it('ignores closed and withdrawn auctions', async () => {
    const book = openBook(db);
    const seller = await createMember(db.sql);
    const [watcher] = await createMembers(db.sql, [0]);
    const closed = await book.english(seller);
    const withdrawn = await book.dutch(seller);
    await db.sql`update auctions set closed_at = ${iso(BASE + 1)} where id = ${closed}`;
    await db.sql`update auctions set deleted_at = ${iso(BASE - 1)} where id = ${withdrawn}`;
    for (const id of [closed, withdrawn])
      await watchAll(id, [{ id: watcher as string, alertPrice: 100, createdAt: BASE - 1 }]);
    // Both would have auction_starting, the English one ending_soon, the Dutch one a price alert.
    expect(await insertDueWatchNotifications(db.sql, BASE + 599_000)).toEqual([]);
  });
});

/** A generated watched auction: Dutch or English, maybe sold out, closed or withdrawn. */
const dutchArb = fc
  .record({
    startPrice: fc.integer({ min: 1, max: 500 }),
    floor: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
    priceDrop: fc.oneof(
      fc.record({ kind: fc.constant('constant' as const), amount: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant('percentage' as const), percent: fc.integer({ min: 1, max: 50 }) }),
    ),
    dropIntervalSeconds: fc.integer({ min: 1, max: 120 }),
    steps: fc.integer({ min: 1, max: 20 }),
    startsAt: fc.integer({ min: BASE, max: BASE + 3_600_000 }),
    soldOut: fc.boolean(),
  })
  .map(({ startPrice, floor, priceDrop, dropIntervalSeconds, steps, startsAt, soldOut }) => {
    const draft: AuctionDraft = {
      title: `Dutch ${startPrice}`,
      description: '',
      startPrice,
      floorPrice: floor === null ? null : (floor % startPrice) + (startPrice > 1 ? 0 : 1),
      priceDrop,
      dropIntervalSeconds,
      startsAt,
      endsAt: startsAt + steps * dropIntervalSeconds * 1000,
      stock: 3,
      perBuyerLimit: 1,
      showStock: true,
      pricing: 'pay_as_bid',
    };
    return { format: 'dutch' as const, draft, soldOut };
  })
  .filter(({ draft }) => validateAuction(draft, draft.startsAt).ok);

const englishArb = fc
  .record({
    startsAt: fc.integer({ min: BASE, max: BASE + 3_600_000 }),
    seconds: fc.integer({ min: 1, max: 600 }),
    extendedMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120_000 })),
  })
  .map(({ startsAt, seconds, extendedMs }) => {
    const draft: EnglishDraft = {
      title: `English ${seconds}`,
      description: '',
      startPrice: 10,
      minIncrement: 1,
      reservePrice: null,
      startsAt,
      endsAt: startsAt + seconds * 1000,
      extendSeconds: 30,
    };
    return { format: 'english' as const, draft, extendedMs };
  });

const watchedArb = fc.record({
  auction: fc.oneof(dutchArb, englishArb),
  /** Closed at its end or earlier (a sold-out close), or not yet. */
  closed: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
  withdrawn: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(false), fc.constant(true)),
  /** Each watcher: when it watched relative to the start, and an alert price (Dutch prices are <= 500). */
  watchers: fc.array(
    fc.record({
      createdOffset: fc.oneof(
        fc.constant(-1),
        fc.constant(0),
        fc.constant(1),
        fc.integer({ min: -600_000, max: 600_000 }),
      ),
      alertPrice: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

type Watched = typeof watchedArb extends fc.Arbitrary<infer T> ? T : never;

interface Seeded {
  readonly id: string;
  readonly title: string;
  readonly watched: WatchedAuction;
  readonly withdrawn: boolean;
  readonly watchers: readonly { memberId: string; createdAt: number; alertPrice: number | null }[];
}

async function seed(sellerId: string, { auction, closed, withdrawn, watchers }: Watched): Promise<Seeded> {
  const id = uuidv4();
  const values =
    auction.format === 'dutch'
      ? { ...auctionValues(id, sellerId, auction.draft), stock: auction.soldOut ? 0 : auction.draft.stock }
      : { ...englishAuctionValues(id, sellerId, auction.draft), endsAt: auction.draft.endsAt + auction.extendedMs };
  const [row] = await db.db.insert(auctions).values(values).returning();
  if (row === undefined) throw new Error('not inserted');
  const closedAt = closed ? Math.floor((row.startsAt + row.endsAt) / 2) : null;
  if (closedAt !== null) await db.sql`update auctions set closed_at = ${iso(closedAt)} where id = ${id}`;
  if (withdrawn) await db.sql`update auctions set deleted_at = ${iso(row.startsAt - 1)} where id = ${id}`;
  const watched: WatchedAuction =
    row.format === 'dutch'
      ? { ...termsOf(row), format: 'dutch', stock: row.stock, closedAt }
      : { format: 'english', startsAt: englishTermsOf(row).startsAt, endsAt: englishLeadOf(row).endsAt, closedAt };
  const memberIds = await createMembers(
    db.sql,
    watchers.map(() => 0),
  );
  const rows = watchers.map((w, i) => ({
    memberId: memberIds[i] as string,
    createdAt: row.startsAt + w.createdOffset,
    alertPrice: w.alertPrice,
  }));
  await watchAll(
    id,
    rows.map((w) => ({ id: w.memberId, alertPrice: w.alertPrice, createdAt: w.createdAt })),
  );
  return { id, title: row.title, watched, withdrawn, watchers: rows };
}

/** The instants where some rule's answer changes, a millisecond either side, and the watches' own times. */
function instantsOf(seeded: readonly Seeded[]): number[] {
  const edges = new Set<number>();
  for (const { watched, watchers } of seeded) {
    edges.add(watched.startsAt);
    edges.add(watched.endsAt);
    if (watched.closedAt !== null) edges.add(watched.closedAt);
    if (watched.format === 'english') edges.add(watched.endsAt - ENDING_SOON_MS);
    else {
      const count = stepCount(watched);
      for (const k of [1, 2, Math.floor(count / 2), count - 1])
        edges.add(watched.startsAt + k * watched.dropIntervalSeconds * 1000);
    }
    for (const w of watchers) edges.add(w.createdAt);
  }
  const instants = new Set<number>();
  for (const edge of edges) for (const d of [-1, 0, 1]) instants.add(edge + d);
  return [...instants].sort((a, b) => a - b);
}

describe('insertDueWatchNotifications agrees with the domain', () => {
  it("stores exactly the domain's notificationsOfWatch at every edge instant of generated watches", async () => {
    const seller = await createMember(db.sql);
    const kindsSeen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(watchedArb, { minLength: 1, maxLength: 4 }), async (generated) => {
        // Only this run's watches exist: earlier runs' auctions stay but nobody watches them.
        await db.sql`delete from watches`;
        const seeded: Seeded[] = [];
        for (const one of generated) seeded.push(await seed(seller, one));
        const ids = seeded.map((s) => s.id);
        for (const now of instantsOf(seeded)) {
          // Each instant from a clean slate: nothing stored, no watch alerted.
          await db.sql`delete from notifications`;
          await db.sql`update watches set alerted = '{}'`;
          const inserted = await insertDueWatchNotifications(db.sql, now);
          const expected = seeded
            .filter((s) => !s.withdrawn)
            .flatMap((s) =>
              s.watchers.flatMap((w) => notificationsOfWatch(w, { ...s.watched, id: s.id, title: s.title }, now)),
            );
          const stored = await storedDrafts(ids);
          expect({ at: iso(now), stored }).toEqual({ at: iso(now), stored: sortDrafts(expected) });
          expect(inserted).toHaveLength(expected.length);
          for (const draft of expected) kindsSeen.add(draft.kind);
        }
      }),
      { numRuns: 50 },
    );
    // The generated cases reached every kind, not only empty answers.
    expect([...kindsSeen].sort()).toEqual([...WATCH_ALERT_KINDS].sort());
  }, 120_000);
});
