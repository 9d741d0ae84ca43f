import {
  AUCTION_FORMATS,
  ENGLISH_ONLY_STATUSES,
  GENDERS,
  LEDGER_KINDS,
  NOTIFICATION_KINDS,
  PRICINGS,
  SETTLED_RECEIPT_STATUSES,
  WATCH_ALERT_KINDS,
} from '@dutch/domain';
import { createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBook } from './audit-fixtures.test-util.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** The quoted values of a migrated check constraint, as Postgres itself reports its definition. */
async function checkedValues(name: string): Promise<string[]> {
  const [row] = await db.sql<{ definition: string }[]>`
    select pg_get_constraintdef(oid) as definition from pg_constraint where conname = ${name}`;
  if (row === undefined) throw new Error(`no constraint ${name}`);
  return [...row.definition.matchAll(/'((?:[^']|'')*)'/g)].map((match) => (match[1] ?? '').replaceAll("''", "'"));
}

describe('check constraints', () => {
  it("allow exactly the domain's lists, in a migrated database", async () => {
    expect(await checkedValues('members_gender_known')).toEqual([...GENDERS]);
    expect(await checkedValues('receipts_status_known')).toEqual([...SETTLED_RECEIPT_STATUSES]);
    expect(await checkedValues('points_ledger_kind_known')).toEqual([...LEDGER_KINDS]);
    expect(await checkedValues('auctions_format_known')).toEqual([...AUCTION_FORMATS]);
    expect(await checkedValues('receipts_format_known')).toEqual([...AUCTION_FORMATS]);
    expect(await checkedValues('auctions_pricing_known')).toEqual([...PRICINGS]);
    expect(await checkedValues('receipts_english_statuses')).toEqual([...ENGLISH_ONLY_STATUSES, 'english']);
    expect(await checkedValues('notifications_kind_known')).toEqual([...NOTIFICATION_KINDS]);
    expect(await checkedValues('watches_alerted_known')).toEqual([...WATCH_ALERT_KINDS]);
  });

  it('refuse a value outside the list', async () => {
    await expect(db.sql`insert into members (name, gender) values ('x', 'robot')`).rejects.toThrow(
      /members_gender_known/,
    );
  });

  // Each refused change breaks only the check it names (Postgres reports the first one broken).
  it('refuse an auction row that is not one format, or whose lead is half there', async () => {
    const book = openBook(db);
    const seller = await book.member();
    const dutch = await book.dutch(seller);
    const english = await book.english(seller);
    const refused: [string, Promise<unknown>][] = [
      [
        'auctions_format_known',
        db.sql`update auctions set format = 'japanese', min_increment = null, extend_seconds = null where id = ${english}`,
      ],
      ['auctions_pricing_known', db.sql`update auctions set pricing = 'vickrey' where id = ${dutch}`],
      ['auctions_pricing_dutch_only', db.sql`update auctions set pricing = 'uniform' where id = ${english}`],
      ['auctions_dutch_columns', db.sql`update auctions set drop_kind = null where id = ${dutch}`],
      ['auctions_dutch_columns', db.sql`update auctions set drop_interval_seconds = 60 where id = ${english}`],
      ['auctions_english_columns', db.sql`update auctions set min_increment = 5 where id = ${dutch}`],
      ['auctions_english_columns', db.sql`update auctions set extend_seconds = null where id = ${english}`],
      ['auctions_english_one_lot', db.sql`update auctions set initial_stock = 2, stock = 2 where id = ${english}`],
      ['auctions_english_one_lot', db.sql`update auctions set stock = 0 where id = ${english}`],
      ['auctions_clearing_price_dutch_only', db.sql`update auctions set clearing_price = 5 where id = ${english}`],
      ['auctions_english_lead', db.sql`update auctions set high_bid = 150 where id = ${english}`],
      ['auctions_english_lead', db.sql`update auctions set winner_id = ${seller} where id = ${english}`],
      [
        'auctions_english_lead',
        db.sql`update auctions set high_bid = 1, leader_id = ${seller}, leading_receipt_id = ${uuidv4()} where id = ${dutch}`,
      ],
    ];
    for (const [constraint, update] of refused) await expect(update).rejects.toThrow(constraint);
  });

  it('refuse negative held points, English statuses on Dutch receipts, bad rebates, and holds between members', async () => {
    const book = openBook(db);
    const [seller, buyer] = [await book.member(), await book.member(100)];
    const dutch = await book.dutch(seller);
    const english = await book.english(seller);
    const [receipt] = (await book.receipts(dutch, [
      { buyerId: buyer, status: 'PURCHASED', unitPrice: 100, quantity: 2 },
    ])) as [string];
    const [bid] = (await book.receipts(english, [
      { buyerId: buyer, status: 'LEADING', unitPrice: 100, format: 'english' },
    ])) as [string];
    const move = (kind: string, from: string | null, to: string, receiptId: string | null) =>
      db.sql`insert into points_ledger (kind, from_member, to_member, amount, receipt_id)
             values (${kind}, ${from}, ${to}, 10, ${receiptId})`;
    const refused: [string, Promise<unknown>][] = [
      ['members_held_points_non_negative', db.sql`update members set held_points = -1 where id = ${buyer}`],
      ['receipts_english_statuses', db.sql`update receipts set status = 'WON' where id = ${receipt}`],
      [
        'receipts_format_known',
        db.sql`update receipts set format = 'japanese', quantity = 1, total = 100 where id = ${receipt}`,
      ],
      ['receipts_english_one_lot', db.sql`update receipts set quantity = 2, total = 200 where id = ${bid}`],
      ['receipts_rebate', db.sql`update receipts set final_unit_price = 90, rebate = 10 where id = ${receipt}`],
      ['receipts_rebate', db.sql`update receipts set rebate = -1 where id = ${receipt}`],
      ['points_ledger_kind_known', move('gift', seller, buyer, receipt)],
      ['points_ledger_hold_own', move('hold', seller, buyer, bid)],
      ['points_ledger_hold_own', move('release', buyer, seller, bid)],
      ['points_ledger_shape', move('release', buyer, buyer, null)],
    ];
    for (const [constraint, update] of refused) await expect(update).rejects.toThrow(constraint);
    await expect(
      db.sql`update receipts set final_unit_price = 90, rebate = 20 where id = ${receipt}`,
    ).resolves.toBeDefined();
  });
});
