import {
  AUCTION_STATUSES,
  type AuctionDraft,
  type AuctionStatus,
  type EnglishDraft,
  englishStatusAt,
  PRICINGS,
  priceAt,
  statusAt,
  stepCount,
  validateAuction,
  validateEnglishAuction,
} from '@dutch/domain';
import { createMember, createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { eq, type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentPriceAt, hasStatusAt, statusAtSql } from './auction-sql.ts';
import { englishLeadOf, englishTermsOf, termsOf } from './auction-terms.ts';
import { auctionValues, englishAuctionValues } from './auction-values.ts';
import { auctions } from './schema.ts';

let db: TestDatabase;
let sellerId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  sellerId = await createMember(db.sql);
});
afterAll(async () => {
  await db.drop();
});

/** Around 2030, with millisecond offsets so starts need not fall on whole seconds. */
const BASE = Date.UTC(2030, 0, 1);

const draftArb = fc
  .record({
    startPrice: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1_000_000_000 })),
    floor: fc.option(fc.integer({ min: 1, max: 1_000_000_000 }), { nil: null }),
    priceDrop: fc.oneof(
      fc.record({ kind: fc.constant('constant' as const), amount: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ kind: fc.constant('percentage' as const), percent: fc.integer({ min: 1, max: 50 }) }),
    ),
    dropIntervalSeconds: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 3600 })),
    steps: fc.integer({ min: 1, max: 3600 }),
    startsAt: fc.integer({ min: BASE, max: BASE + 86_400_000 }),
    stock: fc.integer({ min: 1, max: 20 }),
    limitShare: fc.double({ min: 0, max: 1, noNaN: true }),
    /** How much of the stock is left: 0 exercises sold_out. */
    leftShare: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    pricing: fc.constantFrom(...PRICINGS),
  })
  .map(
    ({ startPrice, floor, priceDrop, dropIntervalSeconds, steps, startsAt, stock, limitShare, leftShare, pricing }) => {
      const count = Math.max(1, Math.min(steps, Math.floor(3600 / dropIntervalSeconds)));
      const draft: AuctionDraft = {
        title: 'Generated',
        description: '',
        startPrice,
        // Mostly below the start price, so floors are common and valid.
        floorPrice: floor === null ? null : (floor % startPrice) + (startPrice > 1 ? 0 : 1),
        priceDrop,
        dropIntervalSeconds,
        startsAt,
        endsAt: startsAt + count * dropIntervalSeconds * 1000,
        stock,
        perBuyerLimit: 1 + Math.floor(limitShare * (stock - 1)),
        showStock: true,
        pricing,
      };
      return { draft, left: Math.round(leftShare * stock) };
    },
  )
  // Only what the domain would accept reaches the table, as through the gateway.
  .filter(({ draft }) => validateAuction(draft, draft.startsAt).ok);

/** The instants where the answers change, a millisecond either side, and a few anywhere. */
function instantsOf(draft: AuctionDraft, extra: readonly number[]): number[] {
  const interval = draft.dropIntervalSeconds * 1000;
  const count = stepCount(draft);
  const boundaries = new Set<number>();
  const steps = count <= 12 ? [...Array(count + 1).keys()] : [0, 1, 2, 3, count - 3, count - 2, count - 1, count];
  for (const k of steps) boundaries.add(draft.startsAt + k * interval);
  boundaries.add(draft.endsAt);
  const instants = new Set<number>();
  for (const b of boundaries) for (const d of [-1, 0, 1]) instants.add(b + d);
  for (const e of extra) instants.add(draft.startsAt + e);
  instants.add(draft.startsAt - 86_400_000);
  instants.add(draft.endsAt + 86_400_000);
  return [...instants];
}

interface Answer {
  readonly status: AuctionStatus;
  readonly price: number;
  readonly has: readonly boolean[];
}

/** Every instant's answers from SQL, in one query per auction. */
async function sqlAnswers(id: string, instants: readonly number[]): Promise<Answer[]> {
  const columns: Record<string, SQL> = {};
  instants.forEach((asOf, i) => {
    columns[`s${i}`] = statusAtSql(asOf);
    columns[`p${i}`] = currentPriceAt(asOf);
    AUCTION_STATUSES.forEach((status, j) => {
      columns[`h${i}_${j}`] = sql`(${hasStatusAt(status, asOf)})`;
    });
  });
  const [row] = await db.db.select(columns).from(auctions).where(eq(auctions.id, id));
  if (row === undefined) throw new Error('row missing');
  const r = row as Record<string, unknown>;
  return instants.map((_, i) => ({
    status: r[`s${i}`] as AuctionStatus,
    price: Number(r[`p${i}`]),
    has: AUCTION_STATUSES.map((_, j) => r[`h${i}_${j}`] as boolean),
  }));
}

describe('auction SQL agrees with the domain', () => {
  it('status, status filter and current price at every edge instant of generated auctions', async () => {
    let rows = 0;
    await fc.assert(
      fc.asyncProperty(
        draftArb,
        fc.array(fc.integer({ min: -10_000_000, max: 3_700_000 }), { maxLength: 6 }),
        async ({ draft, left }, extra) => {
          const id = uuidv4();
          const [inserted] = await db.db
            .insert(auctions)
            .values({ ...auctionValues(id, sellerId, draft), stock: left })
            .returning();
          if (inserted === undefined) throw new Error('not inserted');
          rows++;
          const terms = termsOf(inserted);
          expect(terms.startsAt).toBe(draft.startsAt);
          expect(terms.endsAt).toBe(draft.endsAt);
          const instants = instantsOf(draft, extra);
          const answers = await sqlAnswers(id, instants);
          instants.forEach((asOf, i) => {
            const status = statusAt(terms, asOf, left);
            const expected: Answer = {
              status,
              price: priceAt(terms, asOf),
              has: AUCTION_STATUSES.map((s) => s === status),
            };
            expect({ asOf: new Date(asOf).toISOString(), ...answers[i] }).toEqual({
              asOf: new Date(asOf).toISOString(),
              ...expected,
            });
          });
        },
      ),
      { numRuns: 300 },
    );
    expect(rows).toBeGreaterThanOrEqual(300);
  });

  it('a percentage auction that reaches its floor stays there, in SQL as in the domain', async () => {
    const draft: AuctionDraft = {
      title: 'Floored',
      description: '',
      startPrice: 1000,
      floorPrice: 700,
      priceDrop: { kind: 'percentage', percent: 10 },
      dropIntervalSeconds: 60,
      startsAt: BASE + 123,
      endsAt: BASE + 123 + 600_000,
      stock: 3,
      perBuyerLimit: 1,
      showStock: true,
      pricing: 'pay_as_bid',
    };
    expect(validateAuction(draft, draft.startsAt).ok).toBe(true);
    const id = uuidv4();
    await db.db.insert(auctions).values(auctionValues(id, sellerId, draft));
    const instants = Array.from({ length: 11 }, (_, k) => draft.startsAt + k * 60_000);
    const prices = (await sqlAnswers(id, instants)).map((a) => a.price);
    // 1000, 900, 810, 729, then 656 would be below the floor.
    expect(prices).toEqual([1000, 900, 810, 729, 700, 700, 700, 700, 700, 700, 700]);
    expect(prices).toEqual(instants.map((asOf) => priceAt(draft, asOf)));
  });

  it('prices an auction that starts or started many years from asOf (the step count is clamped before it is cast)', async () => {
    const draft: AuctionDraft = {
      title: 'Far away',
      description: '',
      startPrice: 500,
      floorPrice: 1,
      priceDrop: { kind: 'constant', amount: 1 },
      dropIntervalSeconds: 1,
      startsAt: Date.UTC(2200, 0, 1),
      endsAt: Date.UTC(2200, 0, 1) + 3_600_000,
      stock: 1,
      perBuyerLimit: 1,
      showStock: true,
      pricing: 'pay_as_bid',
    };
    const id = uuidv4();
    await db.db.insert(auctions).values(auctionValues(id, sellerId, draft));
    // Seventy years either side is more than 2^31 one-second steps.
    const instants = [Date.UTC(2026, 0, 1), Date.UTC(2290, 0, 1)];
    const answers = await sqlAnswers(id, instants);
    expect(answers.map((a) => a.price)).toEqual(instants.map((asOf) => priceAt(draft, asOf)));
    expect(answers.map((a) => a.status)).toEqual(['scheduled', 'ended']);
  });

  it('English auctions: running / scheduled / ended by the current end, never sold_out, priced at the high bid', async () => {
    const englishArb = fc.record({
      startPrice: fc.integer({ min: 1, max: 1_000_000 }),
      minIncrement: fc.integer({ min: 1, max: 1000 }),
      startsAt: fc.integer({ min: BASE, max: BASE + 86_400_000 }),
      seconds: fc.integer({ min: 1, max: 7 * 86_400 }),
      /** How far a soft close moved the end, and the bid that leads (null: none yet). */
      extendedMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600_000 })),
      bidOver: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(englishArb, async ({ startPrice, minIncrement, startsAt, seconds, extendedMs, bidOver }) => {
        const draft: EnglishDraft = {
          title: 'English',
          description: '',
          startPrice,
          minIncrement,
          reservePrice: null,
          startsAt,
          endsAt: startsAt + seconds * 1000,
          extendSeconds: 30,
        };
        expect(validateEnglishAuction(draft, startsAt).ok).toBe(true);
        const id = uuidv4();
        const highBid = bidOver === null ? null : startPrice + bidOver;
        const lead = highBid === null ? {} : { highBid, bidCount: 1, leaderId: sellerId, leadingReceiptId: uuidv4() };
        const [row] = await db.db
          .insert(auctions)
          .values({ ...englishAuctionValues(id, sellerId, draft), ...lead, endsAt: draft.endsAt + extendedMs })
          .returning();
        if (row === undefined) throw new Error('not inserted');
        const terms = englishTermsOf(row);
        const { endsAt } = englishLeadOf(row);
        expect(endsAt).toBe(draft.endsAt + extendedMs);
        const instants = [startsAt - 1, startsAt, startsAt + 1, draft.endsAt - 1, draft.endsAt, endsAt - 1, endsAt];
        const answers = await sqlAnswers(id, instants);
        instants.forEach((asOf, i) => {
          const status = englishStatusAt(terms, endsAt, asOf);
          expect(answers[i]).toEqual({
            status,
            price: highBid ?? startPrice,
            has: AUCTION_STATUSES.map((s) => s === status),
          });
        });
      }),
      { numRuns: 100 },
    );
  });
});
