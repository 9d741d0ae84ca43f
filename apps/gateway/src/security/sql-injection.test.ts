import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SQL injection in every string field and query parameter: stored verbatim (names, titles,
 * descriptions, Idempotency-Keys) or refused (ids, enums, cursors, limits), never executed.
 */
const INJECTIONS = [
  "Robert'); DROP TABLE members; --",
  "' OR '1'='1",
  "'; UPDATE members SET points = 999999999; --",
  '"; DELETE FROM receipts; --',
  '$$; TRUNCATE points_ledger; $$',
  "1; INSERT INTO members (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'pwned'); --",
  "\\'; DROP TABLE auctions; --",
  "' UNION SELECT secret_hash FROM member_tokens --",
  "E'\\x27; DROP TABLE receipts; --",
];
/** Text that must come back exactly as sent. */
const UNICODE = [
  'Zoë 🎉',
  'مزاد هولندي',
  'שלום',
  'e\u0301 combining',
  'zero\u200bwidth',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u202eRTL override',
  'tab\tnew\nline',
];

let t: TestGateway;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };

async function schemaIntact(): Promise<void> {
  const [row] = await t.db.sql<{ tables: string[]; pwned: number; rich: number }[]>`
    select array(select tablename::text from pg_tables where schemaname = 'public' order by 1) as tables,
           (select count(*)::int from members where name = 'pwned') as pwned,
           (select count(*)::int from members where points = 999999999) as rich`;
  expect(row?.tables).toEqual(
    expect.arrayContaining(['auctions', 'member_tokens', 'members', 'points_ledger', 'receipts']),
  );
  expect(row?.pwned).toBe(0);
  expect(row?.rich).toBe(0);
}

beforeAll(async () => {
  t = await startTestGateway();
  seller = await t.signUp('seller');
  buyer = await t.signUp('buyer', 100_000);
});
afterAll(async () => {
  await t.close();
});

describe('strings that are stored are stored verbatim, never executed', () => {
  it.each([...INJECTIONS, ...UNICODE])('member name %j', async (name) => {
    const created = await t.request('POST', '/members', { body: { name } });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name.trim());
    const me = await t.request('GET', '/members/me', { token: created.body.token });
    expect(me.body.name).toBe(name.trim());
    const [row] = await t.db.sql<{ name: string }[]>`select name from members where id = ${created.body.id}`;
    expect(row?.name).toBe(name.trim());
    await schemaIntact();
  });

  it.each([...INJECTIONS, ...UNICODE])('auction title and description %j', async (value) => {
    const auction = await t.createAuction(seller.token, { title: value, description: `${value} / ${value}` });
    expect(auction.title).toBe(value);
    const read = await t.request('GET', `/auctions/${auction.id}`);
    expect([read.body.title, read.body.description]).toEqual([value, `${value} / ${value}`]);
    const patched = await t.request('PATCH', `/auctions/${auction.id}`, {
      token: seller.token,
      body: { description: [...value].reverse().join('') },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toBe([...value].reverse().join(''));
    await schemaIntact();
  });

  it('an Idempotency-Key made of SQL is only a key: the same receipt on replay, nothing executed', async () => {
    const auction = await t.createAuction(seller.token, { startsIn: 0 });
    for (const key of ["';DROP/**/TABLE/**/receipts;--", "'OR'1'='1", '$$;TRUNCATE/**/members;$$']) {
      const send = () =>
        t.request('POST', `/auctions/${auction.id}/bids`, {
          token: buyer.token,
          body: { quantity: 1, maxPrice: 1_000 },
          headers: { 'idempotency-key': key },
        });
      const first = await send();
      expect(first.status).toBe(202);
      expect((await send()).body).toEqual(first.body);
    }
    await t.settle();
    const [row] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from receipts where buyer_id = ${buyer.id}`;
    expect(row?.n).toBe(3);
    await schemaIntact();
  });
});

describe('strings that must be something else are refused, never executed', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each(INJECTIONS)('%j as an id, an enum, a limit or a cursor: 400 INVALID_REQUEST', async (injection) => {
    const q = encodeURIComponent(injection);
    const attempts: [string, string, string?][] = [
      ['GET', `/auctions/${q}`],
      ['GET', `/auctions/${q}/events`],
      ['PATCH', `/auctions/${q}`, seller.token],
      ['DELETE', `/auctions/${q}`, seller.token],
      ['POST', `/auctions/${q}/bids`, buyer.token],
      ['GET', `/receipts/${q}`, buyer.token],
      ['POST', `/receipts/${q}/refund`, buyer.token],
      ['GET', `/auctions?status=${q}`],
      ['GET', `/auctions?sort=${q}`],
      ['GET', `/auctions?limit=${q}`],
      ['GET', `/auctions?cursor=${q}`],
      ['GET', `/auctions?cursor=${b64({ sort: 'startsAt', asOf: 1, key: 1, id: injection })}`],
      [
        'GET',
        `/auctions?cursor=${b64({ sort: injection, asOf: 1, key: 1, id: '01900000-0000-7000-8000-000000000000' })}`,
      ],
      ['GET', `/members/me/purchases?status=${q}`, buyer.token],
      ['GET', `/members/me/purchases?cursor=${b64({ at: 1, id: injection })}`, buyer.token],
      ['GET', `/members/me/sales?limit=${q}`, seller.token],
      ['GET', `/auctions?${q}=1`],
    ];
    for (const [method, path, token] of attempts) {
      const body =
        method === 'PATCH'
          ? { title: 'x' }
          : method === 'POST' && path.endsWith('/bids')
            ? { quantity: 1, maxPrice: 1 }
            : undefined;
      const reply = await t.request(method, path, { token, body });
      expect([reply.status, reply.body?.error?.code], `${method} ${path}`).toEqual([400, 'INVALID_REQUEST']);
    }
    await schemaIntact();
  });

  it('NUL characters and unpaired surrogates, which Postgres cannot store as sent: 400 naming the field', async () => {
    for (const [path, body, field] of [
      ['/members', { name: 'a\u0000b' }, 'name'],
      ['/members', { name: 'half \ud83c' }, 'name'],
      ['/auctions', { title: 'x\u0000' }, 'title'],
      ['/auctions', { title: 'x', description: '\udfff' }, 'description'],
    ] as const) {
      const reply = await t.request('POST', path, { token: seller.token, body });
      expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([400, 'INVALID_REQUEST']);
      expect(reply.body.error.message).toContain(field);
    }
  });
});

describe('no SQL is built from strings', () => {
  it('the only raw SQL fragments in the code are constants', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (entry === 'node_modules' || entry === 'web') continue;
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) sources.push(path);
      }
    };
    for (const dir of ['apps/gateway/src', 'apps/consumer/src', 'packages/db/src', 'packages/stream/src']) {
      walk(join(root, dir));
    }
    const raw: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\.(unsafe|raw)\(([^)]*)\)/g)) raw.push(match[2] as string);
    }
    expect(raw.length).toBeGreaterThan(0);
    // Every one is the fixed column list of the auction terms, never a value from a request.
    for (const argument of raw) expect(argument).toBe('AUCTION_TERMS_COLUMNS');
  });
});
