import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adminUrl,
  createAuction,
  createMember,
  createTestDatabase,
  databaseUrl,
  type TestDatabase,
} from '@dutch/testkit';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as runMigrations } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termsOf } from './auction-terms.ts';
import { auditLedger } from './audit.ts';
import { createDb } from './client.ts';
import { ensureDatabase, MIGRATIONS_FOLDER, migrate } from './migrate.ts';
import { findAuction } from './sql/find-auction.ts';
import { findMember } from './sql/find-member.ts';
import { dropDatabase } from './sql/manage-databases.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  );

describe('database constraints, the last line of defence', () => {
  it('refuses negative stock and stock above the initial stock', async () => {
    const seller = await createMember(db.sql);
    const auction = await createAuction(db.db, seller, { stock: 5, perBuyerLimit: 5 });
    expect(await code(db.sql`update auctions set stock = -1 where id = ${auction.id}`)).toBe('23514');
    expect(await code(db.sql`update auctions set stock = 6 where id = ${auction.id}`)).toBe('23514');
    const [row] = await db.sql`update auctions set stock = 2 where id = ${auction.id} returning sold_count`;
    expect(row?.sold_count).toBe(3);
  });

  it('refuses negative points', async () => {
    const member = await createMember(db.sql, 10);
    expect(await code(db.sql`update members set points = points - 11 where id = ${member}`)).toBe('23514');
  });

  it('settles a receipt once: a second row or a second purchase move is refused', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql, 100);
    const auction = await createAuction(db.db, seller);
    const insert = (seq: number) => db.sql`
      insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, accepted_at, settled_at, stream_id, settle_seq)
      values ('01900000-0000-7000-8000-0000000000aa', ${auction.id}, ${buyer}, ${seller}, 1, 100, 100, 'PURCHASED', now(), now(), '1-0', ${seq})`;
    expect(await code(insert(1))).toBe('ok');
    expect(await code(insert(2))).toBe('23505');
    const move = () => db.sql`
      insert into points_ledger (kind, from_member, to_member, amount, receipt_id)
      values ('purchase', ${buyer}, ${seller}, 100, '01900000-0000-7000-8000-0000000000aa')`;
    expect(await code(move())).toBe('ok');
    expect(await code(move())).toBe('23505');
  });

  it('refuses a receipt whose total is not unit price times quantity, and a FAILED one without a reason', async () => {
    const seller = await createMember(db.sql);
    const buyer = await createMember(db.sql);
    const auction = await createAuction(db.db, seller);
    const insert = (total: number, status: string, seq: number) => db.sql`
      insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, accepted_at, settled_at, stream_id, settle_seq)
      values (gen_random_uuid(), ${auction.id}, ${buyer}, ${seller}, 2, 100, ${total}, ${status}, now(), now(), '1-0', ${seq})`;
    expect(await code(insert(150, 'PURCHASED', 1))).toBe('23514');
    expect(await code(insert(200, 'FAILED', 2))).toBe('23514');
    expect(await code(insert(200, 'PENDING', 3))).toBe('23514');
  });
});

describe('migrate', () => {
  it('creates a missing database, and running it again changes nothing', async () => {
    const name = `dutch_m_${randomBytes(5).toString('hex')}`;
    const url = databaseUrl(name);
    try {
      await Promise.all([migrate(url), migrate(url)]);
      await migrate(url);
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const tables = await sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`;
      const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await sql.end();
      expect(tables[0]?.n).toBe(7);
      expect(applied[0]?.n).toBeGreaterThanOrEqual(1);
    } finally {
      await dropDatabase(adminUrl(), name);
    }
  });

  it('carries rows written before version 2 over: Dutch, pay-as-bid, nothing held, nothing closed', async () => {
    const name = `dutch_m_${randomBytes(5).toString('hex')}`;
    const url = databaseUrl(name);
    // The migrations up to 0001 only: a database as version 1 left it.
    const v1 = mkdtempSync(join(tmpdir(), 'dutch-v1-'));
    cpSync(MIGRATIONS_FOLDER, v1, { recursive: true });
    const journalPath = join(v1, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((entry) => entry.tag <= '0001');
    writeFileSync(journalPath, JSON.stringify(journal));
    const old = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await ensureDatabase(url);
      await runMigrations(drizzle(old), { migrationsFolder: v1 });
      const [seller, buyer, auction, receipt] = [
        '01900000-0000-4000-8000-000000000001',
        '01900000-0000-4000-8000-000000000002',
        '01900000-0000-4000-8000-000000000003',
        '01900000-0000-7000-8000-000000000004',
      ];
      await old`insert into members (id, name, points) values (${seller}, 's', 100), (${buyer}, 'b', 400)`;
      await old`insert into points_ledger (kind, to_member, amount) values ('charge', ${buyer}, 500)`;
      await old`
        insert into auctions (id, seller_id, title, start_price, drop_kind, drop_value, drop_interval_seconds,
                              starts_at, ends_at, initial_stock, stock, per_buyer_limit, price_steps)
        values (${auction}, ${seller}, 'v1', 100, 'constant', 10, 60, '2030-01-01T00:00:00Z', '2030-01-01T01:00:00Z',
                5, 4, 5, '{100,90}')`;
      await old`
        insert into receipts (id, auction_id, buyer_id, seller_id, quantity, unit_price, total, status, accepted_at,
                              settled_at, stream_id, settle_seq)
        values (${receipt}, ${auction}, ${buyer}, ${seller}, 1, 100, 100, 'PURCHASED', now(), now(), '1-0', 1)`;
      await old`update auctions set settled_count = 1 where id = ${auction}`;
      await old`insert into points_ledger (kind, from_member, to_member, amount, receipt_id)
                values ('purchase', ${buyer}, ${seller}, 100, ${receipt})`;
      await old.end();

      await migrate(url);
      const client = createDb(url, { max: 1 });
      try {
        const row = await findAuction(client.db, auction);
        expect(row).toMatchObject({
          format: 'dutch',
          pricing: 'pay_as_bid',
          closedAt: null,
          bidCount: 0,
          highBid: null,
        });
        expect(row && termsOf(row)).toMatchObject({
          pricing: 'pay_as_bid',
          priceDrop: { kind: 'constant', amount: 10 },
        });
        expect(await findMember(client.db, buyer)).toMatchObject({ points: 400, heldPoints: 0 });
        const [kept] = await client.sql`select format, rebate, final_unit_price from receipts where id = ${receipt}`;
        expect(kept).toEqual({ format: 'dutch', rebate: 0, final_unit_price: null });
        expect(await auditLedger(client.sql)).toEqual([]);
      } finally {
        await client.close();
      }
    } finally {
      await old.end();
      rmSync(v1, { recursive: true, force: true });
      await dropDatabase(adminUrl(), name);
    }
  });
});
