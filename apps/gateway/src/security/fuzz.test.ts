import { MAX_CHARGE, MAX_PRICE, MAX_STOCK } from '@dutch/domain';
import { streamKey } from '@dutch/stream';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Hostile input, generated: thousands of malformed requests per endpoint (wrong types, huge,
 * negative and fractional numbers, NaN/Infinity, unicode, missing and extra fields, bodies over
 * 64 KB, bad UUIDs and cursors, malformed JSON, wrong content types, bad tokens). Every one is
 * refused with a 4xx in the contract's error shape, none is a 5xx, and the database and Redis
 * are exactly as they were.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);

interface Req {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

let t: TestGateway;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };
let scheduledId: string;
let runningId: string;
let receiptId: string;
let startsAt: number;

async function snapshot(): Promise<string> {
  const [members, tokens, auctions, receipts, ledger] = await Promise.all([
    t.db.sql`select * from members order by id`,
    t.db.sql`select id, member_id, revoked_at from member_tokens order by id`,
    t.db.sql`select * from auctions order by id`,
    t.db.sql`select * from receipts order by id`,
    t.db.sql`select * from points_ledger order by id`,
  ]);
  return JSON.stringify({ members, tokens, auctions, receipts, ledger });
}

async function redisState(): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await t.redis.scan(cursor, 'MATCH', `${t.layout.prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const lengths = await Promise.all(
    Array.from({ length: t.layout.shards }, (_, shard) => t.redis.xlen(streamKey(t.layout, shard))),
  );
  return JSON.stringify({ keys: keys.sort(), lengths });
}

beforeAll(async () => {
  t = await startTestGateway();
  seller = await t.signUp('seller');
  buyer = await t.signUp('buyer', 100_000);
  scheduledId = (await t.createAuction(seller.token)).id;
  const now = t.now();
  const running = await t.createAuction(seller.token, {
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 600_000).toISOString(),
    stock: 100,
    perBuyerLimit: 50,
  });
  runningId = running.id;
  const bid = await t.request('POST', `/auctions/${runningId}/bids`, {
    token: buyer.token,
    body: { quantity: 1, maxPrice: 1_000 },
  });
  receiptId = bid.body.receiptId;
  await t.settle();
  startsAt = t.now() + 3_600_000;
});
afterAll(async () => {
  await t.close();
});

async function send(req: Req): Promise<{ status: number; text: string; type: string | null }> {
  const response = await t.gateway.app.request(req.path, { method: req.method, headers: req.headers, body: req.body });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

/** A refusal: 4xx, JSON, exactly {"error": {"code", "message"[, "details"]}}. */
function expectRefused(req: Req, reply: { status: number; text: string; type: string | null }) {
  const where = `${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)} ${String(req.body).slice(0, 300)}\n-> ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status >= 400 && reply.status < 500, where).toBe(true);
  expect(reply.type, where).toMatch(/^application\/json/);
  const body = JSON.parse(reply.text) as { error?: Record<string, unknown> };
  expect(Object.keys(body), where).toEqual(['error']);
  const error = body.error as Record<string, unknown>;
  expect(error.code, where).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  expect(typeof error.message === 'string' && error.message.length > 0, where).toBe(true);
  for (const key of Object.keys(error)) expect(['code', 'message', 'details'], where).toContain(key);
}

/** Fires `runs` generated requests; each must be refused; afterwards nothing has changed. */
async function fuzz(arbitrary: fc.Arbitrary<Req>, runs = RUNS): Promise<void> {
  const [db, redis] = [await snapshot(), await redisState()];
  await fc.assert(
    fc.asyncProperty(arbitrary, async (req) => expectRefused(req, await send(req))),
    { numRuns: runs },
  );
  expect(await snapshot()).toBe(db);
  expect(await redisState()).toBe(redis);
}

const isSurrogate = (c: string) => c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdfff;
/** Header values must be visible: CR, LF and NUL cannot be sent at all. */
const headerSafe = (s: string) => [...s].filter((c) => !['\r', '\n', String.fromCharCode(0)].includes(c)).join('');

// --- Values ---------------------------------------------------------------------------------

const INJECTIONS = [
  "' or '1'='1",
  "'; drop table members; --",
  '"; truncate receipts; --',
  '1; select pg_sleep(10)',
  '$$ || (select secret_hash from member_tokens limit 1) || $$',
  '\\x27 union select * from member_tokens --',
];
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...INJECTIONS),
);
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  anyText,
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);

/** Anything an integer field in [min, max] must refuse. */
const badInt = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: min - 1 }),
    ...(max < Number.MAX_SAFE_INTEGER ? [fc.integer({ min: max + 1, max: Number.MAX_SAFE_INTEGER })] : []),
    fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, min + 0.5),
    fc.constantFrom('1', '100', 'NaN', 'Infinity', '-Infinity', '1e3', '0x10', ' 5', '٣', '1_000', ''),
    junk,
  );
/** Strings a text field of at most `max` characters must refuse (and anything not a string). */
const badText = (max: number, required = false) =>
  fc.oneof(
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.repeat(Math.ceil((max + 1) / s.length))),
    anyText.map((s) => `${s}\u0000${s}`),
    anyText.map((s) => `${s}\ud800`),
    ...(required ? [fc.constantFrom('', ' ', '\t\n ')] : []),
  );
/** Case and spacing variants of valid words that are not themselves valid. */
const nearMisses = (values: readonly string[]) =>
  [...values.flatMap((v) => [v.toUpperCase(), v.toLowerCase(), ` ${v}`, `${v} `])].filter((v) => !values.includes(v));
const badEnum = (values: readonly string[]) =>
  fc.oneof(
    anyText.filter((s) => !values.includes(s)),
    fc.constantFrom(...nearMisses(values)),
    junk.filter((v) => typeof v !== 'string'),
  );
/** For query strings: text only. */
const badWord = (values: readonly string[]) =>
  fc.oneof(
    anyText.filter((s) => !values.includes(s)),
    fc.constantFrom(...nearMisses(values)),
  );
const badInstant = fc.oneof(
  anyText,
  fc.integer(),
  fc.constantFrom(
    '2030-13-01T00:00:00Z',
    '2030-02-30T00:00:00Z',
    '2030-01-01',
    '2030-01-01T00:00:00',
    '2030-01-01T00:00:00.0001Z',
    '+275760-09-13T00:00:00.000Z',
    'Infinity',
    'now',
  ),
  fc.constant(null),
);
const badBool = fc.oneof(fc.constantFrom('true', 'false', 1, 0, 'yes'), fc.constant(null), fc.array(fc.boolean()));
const badPriceDrop = fc.oneof(
  junk,
  fc.constant({ kind: 'constant' }),
  fc.constant({ kind: 'percentage' }),
  badInt(1, MAX_PRICE).map((amount) => ({ kind: 'constant', amount })),
  badInt(1, 50).map((percent) => ({ kind: 'percentage', percent })),
  badEnum(['constant', 'percentage']).map((kind) => ({ kind, amount: 1 })),
  fc.constant({ kind: 'constant', amount: 1, percent: 10 }),
);
/** Not a UUID (or a UUID nothing has). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notUuid = fc.oneof(
  anyText.filter((s) => s.length > 0 && !UUID.test(s)),
  fc.uuid().map((u) => `${u}0`),
  fc.uuid().map((u) => u.replaceAll('-', '')),
  fc.constantFrom('00000000-0000-0000-0000-00000000000g', '..', '%00', 'null', 'undefined', '-1', '1e9'),
);
/** Ids that are not UUIDs, or UUIDs that name nothing. */
const badId = fc.oneof(notUuid, fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'));

// --- Bodies ---------------------------------------------------------------------------------

function notJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** JSON tokens no field accepts, spliced in raw: not JSON at all, or numbers JSON.parse makes infinite. */
const RAW = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '0x1F', '01', '.5', '+1', 'undefined', "'x'", 'True'];
const SENTINEL = '\u0001raw\u0001';

interface BodySpec {
  /** A valid body. */
  readonly base: fc.Arbitrary<Record<string, unknown>>;
  /** For each field, values it must refuse. */
  readonly bad: Record<string, fc.Arbitrary<unknown>>;
  readonly required: readonly string[];
}

type Mutation =
  | { kind: 'fields'; values: Record<string, unknown> }
  | { kind: 'drop'; fields: string[] }
  | { kind: 'extra'; values: Record<string, unknown> }
  | { kind: 'raw'; field: string; token: string };

/** A JSON body that breaks at least one rule of `spec`: bad values, missing or unknown fields, raw tokens. */
function invalidJson(spec: BodySpec): fc.Arbitrary<string> {
  const known = new Set(Object.keys(spec.bad));
  const fields = Object.keys(spec.bad);
  const mutations: fc.Arbitrary<Mutation>[] = [
    // One field wrong at a time, mostly: a request with several faults is refused for the first
    // one found, and would hide what the others do on their own.
    fc
      .constantFrom(...fields)
      .chain((field) => (spec.bad[field] as fc.Arbitrary<unknown>).map((value) => ({ [field]: value })))
      .map((values) => ({ kind: 'fields', values })),
    fc
      .dictionary(
        // "__proto__" is sent by the envelope cases below (a generated object cannot carry it as a key).
        fc.string({ minLength: 1 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.jsonValue(),
        { minKeys: 1, maxKeys: 3 },
      )
      .map((values) => ({ kind: 'extra', values })),
    fc
      .tuple(fc.constantFrom(...known), fc.constantFrom(...RAW))
      .map(([field, token]) => ({ kind: 'raw', field, token })),
  ];
  if (spec.required.length > 0) {
    mutations.push(fc.subarray([...spec.required], { minLength: 1 }).map((fields) => ({ kind: 'drop', fields })));
  }
  const objectBodies = fc
    .tuple(spec.base, fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }))
    .map(([base, applied]) => {
      // No prototype: a generated "__proto__" key is then an ordinary field, sent as such.
      const body: Record<string, unknown> = Object.assign(Object.create(null), base);
      let raw: string | null = null;
      for (const mutation of applied) {
        if (mutation.kind === 'fields' || mutation.kind === 'extra') {
          for (const [key, value] of Object.entries(mutation.values)) body[key] = value;
        } else if (mutation.kind === 'drop') for (const field of mutation.fields) delete body[field];
        else {
          body[mutation.field] = SENTINEL;
          raw = mutation.token;
        }
      }
      const text = JSON.stringify(body);
      return raw === null ? text : text.replace(JSON.stringify(SENTINEL), raw);
    });
  const envelopes = fc.oneof(
    fc
      .oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.integer(), anyText, fc.constant(null), fc.boolean())
      .map((value) => JSON.stringify(value)),
    anyText.filter(notJson),
    // Broken forms of a valid body (an empty PATCH body survives some of these as JSON: skip those).
    spec.base.map((b) => JSON.stringify(b).slice(0, -1)).filter(notJson),
    spec.base.map((b) => `${JSON.stringify(b)},`).filter(notJson),
    spec.base.map((b) => JSON.stringify(b).replaceAll('"', "'")).filter(notJson),
    spec.base.map((b) => `${JSON.stringify(b)}${JSON.stringify(b)}`),
    spec.base.map((b) => JSON.stringify(b).replace(/^\{/, '{"__proto__":{"isAdmin":true},').replace(',}', '}')),
    fc.integer({ min: 1_000, max: 30_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.constant(''),
  );
  return fc.oneof({ arbitrary: objectBodies, weight: 5 }, { arbitrary: envelopes, weight: 2 });
}

/** Requests to a JSON endpoint that must all be refused: invalid JSON bodies, bodies over 64 KB, non-JSON content types. */
function bodyRequests(method: string, path: string, spec: BodySpec, token?: string): fc.Arbitrary<Req> {
  const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const json = (body: string): Req => ({
    method,
    path,
    headers: { ...auth, 'content-type': 'application/json' },
    body,
  });
  return fc.oneof(
    { arbitrary: invalidJson(spec).map(json), weight: 8 },
    {
      // Over the limit: refused before anything is read.
      arbitrary: fc
        .tuple(spec.base, fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }))
        .map(([base, size]) => json(JSON.stringify({ ...base, pad: 'x'.repeat(size) }))),
      weight: 1,
    },
    {
      // A valid body, but not sent as JSON.
      arbitrary: fc
        .tuple(
          spec.base,
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'text/json',
            'application/octet-stream',
            null,
          ),
        )
        .map(([base, type]) => ({
          method,
          path,
          headers: type === null ? auth : { ...auth, 'content-type': type },
          body: JSON.stringify(base),
        })),
      weight: 1,
    },
  );
}

const text = (min: number, max: number) =>
  fc
    .string({ minLength: min, maxLength: max })
    .filter((s) => s.trim().length >= min && [...s].every((c) => c.charCodeAt(0) > 0 && !isSurrogate(c)));

const memberSpec: BodySpec = {
  base: fc.record(
    {
      name: text(1, 40),
      age: fc.integer({ min: 0, max: 150 }),
      gender: fc.constantFrom('female', 'male', 'other'),
    },
    { requiredKeys: ['name'] },
  ),
  bad: { name: badText(100, true), age: badInt(0, 150), gender: badEnum(['female', 'male', 'other']) },
  required: ['name'],
};

const chargeSpec: BodySpec = {
  base: fc.record({ amount: fc.integer({ min: 1, max: MAX_CHARGE }) }),
  bad: { amount: badInt(1, MAX_CHARGE) },
  required: ['amount'],
};

const auctionBad = {
  title: badText(200),
  description: badText(10_000),
  startPrice: badInt(1, MAX_PRICE),
  floorPrice: badInt(1, MAX_PRICE).filter((v) => v !== null),
  priceDrop: badPriceDrop,
  dropIntervalSeconds: badInt(1, 3600),
  startsAt: badInstant,
  endsAt: badInstant,
  stock: badInt(1, MAX_STOCK),
  perBuyerLimit: badInt(1, MAX_STOCK),
  showStock: badBool,
};
const validAuction = () => ({
  title: 'Lot',
  description: 'fine',
  startPrice: 1_000,
  priceDrop: { kind: 'constant', amount: 10 },
  dropIntervalSeconds: 60,
  startsAt: new Date(startsAt).toISOString(),
  endsAt: new Date(startsAt + 600_000).toISOString(),
  stock: 10,
  perBuyerLimit: 2,
  showStock: true,
});
const auctionSpec = (): BodySpec => ({
  base: fc.constant(null).map(validAuction),
  bad: auctionBad,
  required: ['title', 'startPrice', 'priceDrop', 'dropIntervalSeconds', 'startsAt', 'endsAt', 'stock', 'perBuyerLimit'],
});
const patchSpec = (): BodySpec => ({
  base: fc.subarray(Object.keys(auctionBad)).map((keys) => {
    const all = validAuction() as Record<string, unknown>;
    return Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]]));
  }),
  bad: auctionBad,
  required: [],
});

const bidSpec: BodySpec = {
  base: fc.record({ quantity: fc.integer({ min: 1, max: 5 }), maxPrice: fc.integer({ min: 1_000, max: 1_000_000 }) }),
  bad: { quantity: badInt(1, MAX_STOCK), maxPrice: badInt(1, Number.MAX_SAFE_INTEGER) },
  required: ['quantity', 'maxPrice'],
};

// --- Query strings --------------------------------------------------------------------------

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const NOW = Date.now();
/** Numbers no cursor carries: fractions, negatives, beyond a JS date or year 9999, unsafe integers. */
const badCursorNumber = fc.oneof(
  fc.constantFrom(8.64e15 + 1, 8.64e15, 253402300800000, -1, -8.64e15, 1e20, 1e300, 2 ** 53, 0.5),
  fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
  junk,
);
/** A cursor as a list issues it, with exactly one field made wrong. */
function corrupted(valid: Record<string, unknown>, bad: Record<string, fc.Arbitrary<unknown>>) {
  return fc
    .constantFrom(...Object.keys(bad))
    .chain((field) => (bad[field] as fc.Arbitrary<unknown>).map((value) => b64({ ...valid, [field]: value })));
}
const badCursor = fc.oneof(
  anyText,
  fc.jsonValue().map(b64),
  corrupted({ at: NOW, id: '01900000-0000-7000-8000-000000000000' }, { at: badCursorNumber, id: notUuid }),
  corrupted(
    { sort: 'startsAt', asOf: NOW, key: NOW, id: '01900000-0000-7000-8000-000000000000' },
    { sort: badWord(['startsAt']), asOf: badCursorNumber, key: badCursorNumber, id: notUuid },
  ),
  fc.string({ minLength: 513, maxLength: 600 }),
);
const badLimit = fc.oneof(
  fc.constantFrom('0', '101', '-1', '1.5', '1e2', '٣', ' 5', '', '0x10', '1000', 'NaN'),
  anyText.filter((s) => !/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 100),
);

/** A query string with one bad parameter (sometimes more, or an unknown or repeated one) among valid ones. */
function badQuery(bad: Record<string, fc.Arbitrary<string>>, valid: Record<string, fc.Arbitrary<string>>) {
  const one = fc
    .constantFrom(...Object.keys(bad))
    .chain((k) => (bad[k] as fc.Arbitrary<string>).map((v): Record<string, string | string[]> => ({ [k]: v })));
  const several = fc.record(bad, { requiredKeys: [] }).filter((q) => Object.keys(q).length > 1);
  const unknown = fc
    .tuple(
      fc.string({ minLength: 1 }).filter((k) => !(k in bad)),
      anyText,
    )
    .map(([k, v]) => ({ [k]: v }));
  const repeated = fc
    .constantFrom(...Object.keys(valid))
    .chain((k) =>
      fc.tuple(valid[k] as fc.Arbitrary<string>, valid[k] as fc.Arbitrary<string>).map(([a, b]) => ({ [k]: [a, b] })),
    );
  return fc
    .tuple(fc.oneof({ arbitrary: one, weight: 4 }, several, unknown, repeated), fc.record(valid, { requiredKeys: [] }))
    .map(([broken, ok]) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...ok, ...broken })) {
        for (const value of Array.isArray(v) ? v : [v]) params.append(k, String(value));
      }
      return params.toString();
    });
}

// --- The endpoints --------------------------------------------------------------------------

describe('fuzzed requests are refused in the error shape, never a 5xx, and change nothing', () => {
  it('POST /members', async () => {
    await fuzz(bodyRequests('POST', '/members', memberSpec));
  });

  it('POST /members/me/points', async () => {
    await fuzz(bodyRequests('POST', '/members/me/points', chargeSpec, buyer.token));
  });

  it('POST /auctions', async () => {
    await fuzz(bodyRequests('POST', '/auctions', auctionSpec(), seller.token));
  });

  it('PATCH /auctions/{id}', async () => {
    await fuzz(bodyRequests('PATCH', `/auctions/${scheduledId}`, patchSpec(), seller.token));
  });

  it('POST /auctions/{id}/bids', async () => {
    await fuzz(bodyRequests('POST', `/auctions/${runningId}/bids`, bidSpec, buyer.token));
  });

  it('POST /auctions/{id}/bids with a bad Idempotency-Key', async () => {
    const latin1 = fc.string({
      unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
      minLength: 1,
    });
    const key = fc.oneof(
      fc.constantFrom('a b', 'tab\there', 'spaced key '),
      fc
        .string({ minLength: 256, maxLength: 400, unit: 'binary-ascii' })
        .map((s) => [...s].map((c) => (c.charCodeAt(0) > 0x20 && c.charCodeAt(0) < 0x7f ? c : 'k')).join('')),
      latin1,
    );
    await fuzz(
      fc.tuple(bidSpec.base, key).map(([body, idempotencyKey]) => ({
        method: 'POST',
        path: `/auctions/${runningId}/bids`,
        headers: {
          authorization: `Bearer ${buyer.token}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
      })),
      RUNS / 2,
    );
  });

  it.each([
    ['GET', '/auctions/{id}', undefined],
    ['GET', '/auctions/{id}/events', undefined],
    ['PATCH', '/auctions/{id}', { title: 'renamed' }],
    ['DELETE', '/auctions/{id}', undefined],
    ['POST', '/auctions/{id}/bids', { quantity: 1, maxPrice: 1_000 }],
    ['GET', '/receipts/{id}', undefined],
    ['POST', '/receipts/{id}/refund', undefined],
  ])('%s %s with ids that are not UUIDs, or name nothing', async (method, path, body) => {
    await fuzz(
      badId.map((id) => ({
        method,
        path: path.replace('{id}', encodeURIComponent(id)),
        headers: { authorization: `Bearer ${seller.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })),
      RUNS / 2,
    );
  });

  it('GET /auctions with bad query parameters', async () => {
    const query = badQuery(
      {
        status: badWord(['scheduled', 'running', 'sold_out', 'ended']),
        sort: badWord(['startsAt', '-startsAt', 'currentPrice', '-currentPrice']),
        limit: badLimit,
        cursor: badCursor,
      },
      {
        status: fc.constantFrom('scheduled', 'running', 'ended'),
        sort: fc.constantFrom('startsAt', '-currentPrice'),
        limit: fc.constantFrom('1', '20'),
      },
    );
    await fuzz(
      query.map((q) => ({ method: 'GET', path: `/auctions?${q}`, headers: {} })),
      RUNS / 2,
    );
  });

  it.each(['/members/me/purchases', '/members/me/sales'])('GET %s with bad query parameters', async (path) => {
    const query = badQuery(
      {
        status: badWord(['PURCHASED', 'FAILED', 'REFUND_PENDING', 'REFUNDED', 'PENDING']),
        limit: badLimit,
        cursor: badCursor,
      },
      { status: fc.constantFrom('PURCHASED', 'FAILED'), limit: fc.constantFrom('1', '20') },
    );
    await fuzz(
      query.map((q) => ({ method: 'GET', path: `${path}?${q}`, headers: { authorization: `Bearer ${buyer.token}` } })),
      RUNS / 2,
    );
  });

  it('every authenticated endpoint with a garbled Authorization header', async () => {
    const hex = fc.stringMatching(/^[0-9a-f]{32}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
    const header = fc.oneof(
      fc.string({ unit: 'binary-ascii' }).map(headerSafe),
      fc.string({ unit: 'binary-ascii' }).map((s) => `Bearer ${headerSafe(s)}`),
      fc.tuple(hex, secret).map(([id, s]) => `Bearer dat_${id}_${s}`),
      fc.tuple(hex, secret).map(([id, s]) => `Bearer dat_${id}_${s}x`),
      secret.map((s) => `Bearer ${buyer.token.slice(0, 37)}${s}`),
      fc.constant(`Basic ${buyer.token}`),
      fc.constant(`Bearer ${buyer.token} ${buyer.token}`),
      fc.constant(`Token ${buyer.token}`),
      fc.constant(buyer.token),
    );
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/members/me'],
      ['POST', '/members/me/points', { amount: 5 }],
      ['POST', '/members/me/tokens'],
      ['DELETE', '/members/me/tokens/current'],
      ['GET', '/members/me/purchases'],
      ['POST', '/auctions', { title: 'x' }],
      ['PATCH', `/auctions/${scheduledId}`, { title: 'x' }],
      ['DELETE', `/auctions/${scheduledId}`],
      ['POST', `/auctions/${runningId}/bids`, { quantity: 1, maxPrice: 1_000 }],
      ['GET', `/receipts/${receiptId}`],
      ['POST', `/receipts/${receiptId}/refund`],
    ];
    await fuzz(
      fc.tuple(fc.constantFrom(...endpoints), header).map(([[method, path, body], authorization]) => ({
        method,
        path,
        headers: { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })),
      RUNS / 2,
    );
  });
});
