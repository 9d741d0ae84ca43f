import { auditLedger } from '@dutch/db';
import { type Reply, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A request that outlives REQUEST_TIMEOUT_MS is answered 503 ("retry it"), so its work must
 * not happen anyway afterwards: a charge that commits after its 503 is charged twice when the
 * client retries.
 */
let t: TestGateway;

function expectUnavailable(reply: Reply) {
  expect(reply.status).toBe(503);
  expect(Object.keys(reply.body)).toEqual(['error']);
  expect(reply.body.error.code).toBe('SERVICE_UNAVAILABLE');
  expect(typeof reply.body.error.message).toBe('string');
}

/** Holds the member's row locked (as a long settlement would) until the returned function is called. */
async function lockMember(memberId: string): Promise<() => Promise<void>> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = t.db.sql.begin(async (tx) => {
    await tx`select 1 from members where id = ${memberId} for update`;
    locked();
    await held;
  });
  await isLocked;
  return async () => {
    release();
    await done;
  };
}

/** Waits until no statement of the gateway's is still running or holding a transaction open. */
async function gatewayIdle(): Promise<void> {
  await waitFor(
    async () => {
      const [row] = await t.db.sql<{ busy: number }[]>`
        select count(*)::int as busy from pg_stat_activity
        where datname = current_database() and application_name = 'test gateway' and state <> 'idle'`;
      return row?.busy === 0;
    },
    20_000,
    'the timed-out request to finish in Postgres',
  );
}

async function chargesOf(memberId: string): Promise<number> {
  const [row] = await t.db.sql<{ n: number }[]>`
    select count(*)::int as n from points_ledger where to_member = ${memberId} and kind = 'charge'`;
  return row?.n ?? -1;
}

describe('request timeouts', () => {
  beforeAll(async () => {
    // Statements are left to run for long (the default would cancel them first), so the
    // request timeout itself is what fires.
    t = await startTestGateway({ REQUEST_TIMEOUT_MS: '400', PG_STATEMENT_TIMEOUT_MS: '30000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a charge blocked past REQUEST_TIMEOUT_MS answers 503 in the error shape and is never applied', async () => {
    const { id, token } = await t.signUp('blocked');
    const release = await lockMember(id);
    const reply = await t.request('POST', '/members/me/points', { token, body: { amount: 700 } });
    expectUnavailable(reply);
    // The charge's UPDATE is still waiting for the row: let it through now, after the 503.
    await release();
    await gatewayIdle();
    expect((await t.request('GET', '/members/me', { token })).body.points).toBe(0);
    expect(await chargesOf(id)).toBe(0);
    expect(await auditLedger(t.db.sql)).toEqual([]);
    // The client retries, as the 503 told it to: charged once.
    const retried = await t.request('POST', '/members/me/points', { token, body: { amount: 700 } });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ points: 700 });
    expect(await chargesOf(id)).toBe(1);
  });

  it('an auction created past the timeout is not created', async () => {
    const seller = await t.signUp('slow seller');
    // Creating an auction touches no member row: hold the auctions table instead.
    let releaseTable: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseTable = resolve;
    });
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const done = t.db.sql.begin(async (tx) => {
      await tx`lock table auctions in share row exclusive mode`;
      locked();
      await held;
    });
    await isLocked;
    const startsAt = t.now() + 60_000;
    const reply = await t.request('POST', '/auctions', {
      token: seller.token,
      body: {
        title: 'too slow',
        startPrice: 100,
        priceDrop: { kind: 'constant', amount: 1 },
        dropIntervalSeconds: 60,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 600_000).toISOString(),
        stock: 1,
        perBuyerLimit: 1,
      },
    });
    expectUnavailable(reply);
    releaseTable();
    await done;
    await gatewayIdle();
    const [row] = await t.db.sql<
      { n: number }[]
    >`select count(*)::int as n from auctions where seller_id = ${seller.id}`;
    expect(row?.n).toBe(0);
  });
});

describe('statement timeout', () => {
  beforeAll(async () => {
    // The default: statements are cancelled a little before the request would time out.
    t = await startTestGateway({ REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a statement blocked longer than the request may take is cancelled: 503 in the error shape, nothing applied', async () => {
    const { id, token } = await t.signUp('blocked');
    const release = await lockMember(id);
    try {
      const reply = await t.request('POST', '/members/me/points', { token, body: { amount: 300 } });
      expectUnavailable(reply);
      expect(reply.headers.get('retry-after')).toBe('1');
      // Cancelled by Postgres, not merely abandoned: nothing of the gateway's is left waiting.
      await gatewayIdle();
    } finally {
      await release();
    }
    expect(await chargesOf(id)).toBe(0);
    expect((await t.request('GET', '/members/me', { token })).body.points).toBe(0);
  });
});
