import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { deadLetter } from '@dutch/consumer/dead-letter';
import { auditLedger } from '@dutch/db';
import {
  consumersKey,
  deadLetterKey,
  idempotencyClaimKey,
  idempotencyReplayKey,
  pendingReceiptsKey,
  receiptIdOf,
  shardOf,
  streamKey,
} from '@dutch/stream';
import {
  buyOnceOverHttp,
  createTestDatabase,
  deleteKeys,
  type Reply,
  randomPrefix,
  startTestGateway,
  type TestGateway,
  waitFor,
} from '@dutch/testkit';
import { type ClusterNode, type RedisCluster, startRedisCluster } from '@dutch/testkit/servers';
import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The gateway and a consumer on a real three-master Redis Cluster (ioredis `Cluster`): shards
 * land on different nodes, and every script, pipeline and multi-key command stays inside its
 * shard's hash slot (a cluster refuses anything else with CROSSSLOT).
 */
const SHARDS = 8;

let cluster: RedisCluster | undefined;
let t: TestGateway;
/** Plain connections to each master, for CLUSTER and SCAN on that node alone. */
let direct: Redis[] = [];
/** slot -> "host:port" of the master that serves it. */
let owner: (slot: number) => string;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  direct = cluster.nodes.map((node) => (cluster as RedisCluster).connectNode(node));
  const ranges = (await direct[0]?.cluster('SLOTS')) ?? [];
  owner = (slot) => {
    const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
    if (master === undefined) throw new Error(`slot ${slot} is served by no node`);
    return `${master[0]}:${master[1]}`;
  };
  t = await startTestGateway({ REDIS_CLUSTER_NODES: cluster.seeds, SHARDS: String(SHARDS) });
}, 60_000);

afterAll(async () => {
  try {
    await t?.close();
  } finally {
    for (const connection of direct) connection.disconnect();
    await cluster?.stop();
  }
}, 60_000);

const name = (node: ClusterNode) => `${node.host}:${node.port}`;
const nodeOfShard = (shard: number) => owner(calculateSlot(streamKey(t.layout, shard)));
const nodeOfAuction = (auctionId: string) => nodeOfShard(shardOf(auctionId, SHARDS));

function expectError(reply: Reply, status: number, code: string) {
  expect([reply.status, reply.body?.error?.code], JSON.stringify(reply.body)).toEqual([status, code]);
}

interface SseEvent {
  readonly event: string;
  readonly data: { readonly stock?: number };
}

interface ReceiptItem {
  readonly id: string;
  readonly status: string;
}
type Auction = { readonly id: string; readonly startsAt: string; readonly endsAt: string };

/** Collects the SSE events of a response as they arrive. */
function readEvents(response: Response) {
  const events: SseEvent[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const fields = new Map<string, string>();
        for (const line of buffer.slice(0, end).split('\n')) {
          const at = line.indexOf(': ');
          if (at > 0 && !line.startsWith(':')) fields.set(line.slice(0, at), line.slice(at + 2));
        }
        buffer = buffer.slice(end + 2);
        const event = fields.get('event');
        if (event !== undefined) events.push({ event, data: JSON.parse(fields.get('data') ?? 'null') });
      }
    }
  })();
  return { events, close: () => reader.cancel().catch(() => {}) };
}

describe('on a Redis Cluster', () => {
  it('spreads the shards over every node, each shard with all of its keys in one slot', async () => {
    expect(
      (t.redis as Cluster)
        .nodes('master')
        .map((node) => `${node.options.host}:${node.options.port}`)
        .sort(),
    ).toEqual((cluster as RedisCluster).nodes.map(name).sort());
    const nodes = new Set<string>();
    const buyer = '01900000-0000-7000-8000-000000000003';
    for (let shard = 0; shard < SHARDS; shard++) {
      const stream = streamKey(t.layout, shard);
      // The server's own hash, not only the library's.
      const slot = (await direct[0]?.cluster('KEYSLOT', stream)) as number;
      expect(slot).toBe(calculateSlot(stream));
      for (const key of [
        deadLetterKey(t.layout, shard),
        pendingReceiptsKey(t.layout, shard),
        idempotencyReplayKey(t.layout, shard, buyer, 'key{with}braces'),
      ]) {
        expect(await direct[0]?.cluster('KEYSLOT', key), key).toBe(slot);
      }
      nodes.add(owner(slot));
    }
    expect([...nodes].sort()).toEqual((cluster as RedisCluster).nodes.map(name).sort());
    expect((await t.request('GET', '/ready')).body).toMatchObject({ status: 'ready', checks: { redis: 'up' } });
  });

  it('takes bids, replays, receipts, lists, refunds and live stock through shards on every node, and settles them all', async () => {
    const seller = await t.signUp('seller');
    const rich = await t.signUp('rich', 1_000_000);
    const late = await t.signUp('late', 1_000_000);
    const elsewhere = await t.createAuction((await t.signUp('other seller')).token);

    // One auction per node: keep creating until every master serves one of them.
    const auctions = new Map<string, Auction>();
    for (let i = 0; i < 60 && auctions.size < 3; i++) {
      const auction = await t.createAuction(seller.token, { stock: 4, perBuyerLimit: 3, startPrice: 1000 });
      const node = nodeOfAuction(auction.id);
      if (!auctions.has(node)) auctions.set(node, auction);
    }
    expect(auctions.size).toBe(3);
    const list = [...auctions.values()];
    t.travel(Math.max(...list.map((a) => Date.parse(a.startsAt))) - t.now() + 1);

    // Poor spends their 1000 points elsewhere, after the clock's jump (so no token re-read lowers
    // what the gateway knows): it still counts 1000, takes their bids below, and settlement fails
    // them. A buyer it knows to be short is refused at once, before any shard: nothing queued.
    const poor = await t.signUp('poor', 1_000);
    const spent = await t.request('POST', `/auctions/${elsewhere.id}/bids`, {
      token: poor.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expect(spent.status, JSON.stringify(spent.body)).toBe(202);
    expect(await t.settle()).toBe(1);
    expect((await t.request('GET', '/members/me', { token: poor.token })).body.points).toBe(0);
    const broke = await t.signUp('broke', 10);
    const refused = await t.request('POST', `/auctions/${(list[0] as Auction).id}/bids`, {
      token: broke.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expectError(refused, 409, 'INSUFFICIENT_POINTS');
    expect(refused.body.error.message).toEqual(expect.any(String));

    const streams = await Promise.all(
      list.map(async (auction) => {
        const response = await t.gateway.app.request(`/auctions/${auction.id}/events`);
        expect(response.status).toBe(200);
        const stream = readEvents(response);
        await waitFor(async () => stream.events.length > 0, 5_000, 'the snapshot');
        return stream;
      }),
    );

    const bid = (token: string, auctionId: string, quantity: number, key?: string) =>
      t.request('POST', `/auctions/${auctionId}/bids`, {
        token,
        body: { quantity, maxPrice: 1000 },
        ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }),
      });

    const receipts: { rich: string; poor: string; late: string }[] = [];
    for (const [i, auction] of list.entries()) {
      const first = await bid(rich.token, auction.id, 3, `buy-${i}`);
      expect(first.status, JSON.stringify(first.body)).toBe(202);
      // A replay answers the very same receipt; a different body or auction under the key is refused,
      // even when that other auction's shard lives on another node.
      const replay = await bid(rich.token, auction.id, 3, `buy-${i}`);
      expect([replay.status, replay.body]).toEqual([202, first.body]);
      expectError(await bid(rich.token, auction.id, 2, `buy-${i}`), 409, 'IDEMPOTENCY_KEY_REUSED');
      const other = list[(i + 1) % list.length] as Auction;
      expectError(await bid(rich.token, other.id, 3, `buy-${i}`), 409, 'IDEMPOTENCY_KEY_REUSED');

      const failing = await bid(poor.token, auction.id, 1);
      const soldOut = await bid(late.token, auction.id, 2);
      expect([failing.status, soldOut.status]).toEqual([202, 202]);
      receipts.push({ rich: first.body.receiptId, poor: failing.body.receiptId, late: soldOut.body.receiptId });
    }

    // Pending: each receipt sits on its auction's node, readable by id and in the lists.
    for (const [i, auction] of list.entries()) {
      const shard = shardOf(auction.id, SHARDS);
      const ids = receipts[i] as { rich: string; poor: string; late: string };
      for (const id of Object.values(ids)) {
        const key = pendingReceiptsKey(t.layout, shard);
        expect(owner(calculateSlot(key))).toBe(nodeOfAuction(auction.id));
        expect(await t.redis.hexists(key, id)).toBe(1);
      }
      expect((await t.request('GET', `/receipts/${ids.rich}`, { token: rich.token })).body).toMatchObject({
        status: 'PENDING',
        auctionId: auction.id,
        quantity: 3,
      });
      expect((await t.request('GET', `/receipts/${ids.rich}`, { token: seller.token })).body.status).toBe('PENDING');
    }
    const pendingPurchases = await t.request('GET', '/members/me/purchases', { token: rich.token });
    expect(pendingPurchases.status).toBe(200);
    expect(pendingPurchases.body.items.map((r: ReceiptItem) => [r.id, r.status])).toEqual(
      receipts.map((r) => [r.rich, 'PENDING']).reverse(),
    );
    const pendingSales = await t.request('GET', '/members/me/sales?status=PENDING&limit=100', { token: seller.token });
    expect(pendingSales.body.items).toHaveLength(9);

    // Every key the engine wrote is on the node that serves its shard's slot, and all three nodes hold some.
    const holders = new Set<string>();
    for (const [n, connection] of direct.entries()) {
      const here = name((cluster as RedisCluster).nodes[n] as ClusterNode);
      const [, keys] = await connection.scan('0', 'MATCH', `${t.layout.prefix}bids:*`, 'COUNT', 10_000);
      for (const key of keys) {
        const shard = Number(/\{(\d+)\}/.exec(key)?.[1]);
        expect(nodeOfShard(shard), key).toBe(here);
        holders.add(here);
      }
    }
    expect(holders.size).toBe(3);

    expect(await t.settle()).toBe(9);

    for (const [i, auction] of list.entries()) {
      const ids = receipts[i] as { rich: string; poor: string; late: string };
      const status = async (id: string, token: string) => {
        const { body } = await t.request('GET', `/receipts/${id}`, { token });
        return [body.status, body.failureReason ?? null];
      };
      expect(await status(ids.rich, rich.token)).toEqual(['PURCHASED', null]);
      expect(await status(ids.poor, poor.token)).toEqual(['FAILED', 'INSUFFICIENT_POINTS']);
      expect(await status(ids.late, late.token)).toEqual(['FAILED', 'SOLD_OUT']);
      const shard = shardOf(auction.id, SHARDS);
      expect(await t.redis.hexists(pendingReceiptsKey(t.layout, shard), ids.rich)).toBe(0);
      // The replay answer outlives settlement, in the shard's slot; the claim lives in the buyer's.
      expect((await bid(rich.token, auction.id, 3, `buy-${i}`)).body.receiptId).toBe(ids.rich);
      expect(await t.redis.exists(idempotencyClaimKey(t.layout, rich.id, `buy-${i}`))).toBe(1);
      await waitFor(
        async () => streams[i]?.events.some((e) => e.event === 'stock' && e.data.stock === 1),
        5_000,
        'the stock event',
      );
    }
    const purchases = await t.request('GET', '/members/me/purchases', { token: rich.token });
    expect(purchases.body.items.map((r: ReceiptItem) => [r.id, r.status])).toEqual(
      receipts.map((r) => [r.rich, 'PURCHASED']).reverse(),
    );
    expect((await t.request('GET', '/members/me', { token: rich.token })).body.points).toBe(1_000_000 - 3 * 3000);

    // Refunds after the end go through the same shard streams.
    t.travel(Math.max(...list.map((a) => Date.parse(a.endsAt))) - t.now() + 1);
    for (const ids of receipts) {
      const reply = await t.request('POST', `/receipts/${ids.rich}/refund`, { token: rich.token });
      expect([reply.status, reply.body.status]).toEqual([202, 'REFUND_PENDING']);
    }
    expect(await t.settle()).toBe(3);
    for (const [i, ids] of receipts.entries()) {
      expect((await t.request('GET', `/receipts/${ids.rich}`, { token: rich.token })).body.status).toBe('REFUNDED');
      await waitFor(
        async () => streams[i]?.events.some((e) => e.event === 'stock' && e.data.stock === 4),
        5_000,
        'the stock event after the refund',
      );
    }
    expect((await t.request('GET', '/members/me', { token: rich.token })).body.points).toBe(1_000_000);
    await Promise.all(streams.map((stream) => stream.close()));

    expect(await auditLedger(t.db.sql)).toEqual([]);
  });

  it("dead-letters an entry in its shard's slot: dead-letter stream, acknowledgement and pending copy together", async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 1_000_000);
    const auction = await t.createAuction(seller.token);
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const accepted = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 1, maxPrice: 1000 },
    });
    expect(accepted.status).toBe(202);
    const shard = shardOf(auction.id, SHARDS);
    const entries = await t.redis.xrange(streamKey(t.layout, shard), '-', '+');
    const [id, fields] = entries.find(([, f]) => receiptIdOf(f) === accepted.body.receiptId) ?? [];
    expect(id).toBeDefined();
    // As the consumer does once an entry has failed MAX_DELIVERIES times.
    await deadLetter(
      { sql: t.db.sql, redis: t.redis, layout: t.layout, logger: pino({ level: 'silent' }) },
      shard,
      { id: id as string, fields: fields as string[] },
      10,
      null,
      t.now(),
    );
    const dead = deadLetterKey(t.layout, shard);
    expect(owner(calculateSlot(dead))).toBe(nodeOfAuction(auction.id));
    const [letter] = await t.redis.xrange(dead, '-', '+');
    expect(letter?.[1].slice(0, 2)).toEqual(['originalId', id]);
    expect(await t.redis.hexists(pendingReceiptsKey(t.layout, shard), accepted.body.receiptId)).toBe(0);
    const receipt = await t.request('GET', `/receipts/${accepted.body.receiptId}`, { token: buyer.token });
    expect([receipt.body.status, receipt.body.failureReason]).toEqual(['FAILED', 'PROCESSING_FAILED']);
    // The entry itself, still in the stream, is recognised as decided: settled once, never twice.
    await t.settle();
    expect((await t.request('GET', `/receipts/${accepted.body.receiptId}`, { token: buyer.token })).body.status).toBe(
      'FAILED',
    );
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });

  it('settles in the background too: one blocking reader per shard, each on its own node', async () => {
    await t.consumer.consumer.start();
    expect(t.consumer.consumer.ownedShards()).toHaveLength(SHARDS);
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 1_000_000);
    const auctions = await Promise.all(
      Array.from({ length: 12 }, () => t.createAuction(seller.token, { stock: 10, perBuyerLimit: 5 })),
    );
    t.travel(Math.max(...auctions.map((a) => Date.parse(a.startsAt))) - t.now() + 1);
    expect(new Set(auctions.map((a) => nodeOfAuction(a.id))).size).toBeGreaterThan(1);
    const accepted = await Promise.all(
      auctions.map((auction) =>
        t.request('POST', `/auctions/${auction.id}/bids`, {
          token: buyer.token,
          body: { quantity: 2, maxPrice: 1000 },
        }),
      ),
    );
    for (const reply of accepted) expect(reply.status).toBe(202);
    await waitFor(
      async () => {
        const page = await t.request('GET', '/members/me/purchases?limit=100', { token: buyer.token });
        return page.body.items.length === 12 && page.body.items.every((r: ReceiptItem) => r.status === 'PURCHASED');
      },
      15_000,
      'every bid settled by the running consumer',
    );
    expect(await auditLedger(t.db.sql)).toEqual([]);
  });
});

const START = fileURLToPath(import.meta.resolve('@dutch/launcher/start'));
const CONSUMER_MAIN = fileURLToPath(import.meta.resolve('@dutch/consumer/main'));

interface Launched {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

function launch(script: string, env: Record<string, string>): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('the compose topology on a Redis Cluster', () => {
  it('runs the launcher with gateway processes only (CONSUMERS=0) beside a consumer process of its own', async () => {
    const prefix = randomPrefix();
    // A database of its own: the in-process consumer started above runs on a travelled clock, and
    // its closer would close this test's auction (due by that clock) in a shared database.
    const db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      // Ignored in cluster mode: nothing listens there.
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_CLUSTER_NODES: (cluster as RedisCluster).seeds,
      KEY_PREFIX: prefix,
      SHARDS: String(SHARDS),
      LOG_LEVEL: 'warn',
    };
    const gateway = launch(START, { ...env, PORT: '0', GATEWAY_WORKERS: '1', CONSUMERS: '0' });
    // No CONSUMER_NAME: the default <hostname>-<pid>, as in a container of its own.
    const consumer = launch(CONSUMER_MAIN, { ...env, REBALANCE_MS: '200', BLOCK_MS: '200' });
    try {
      const base = await waitFor(
        async () => {
          for (const [what, run] of [
            ['launcher', gateway],
            ['consumer', consumer],
          ] as const) {
            if (run.child.exitCode !== null) throw new Error(`the ${what} exited early:\n${run.output()}`);
          }
          return /Live auctions\s+(http:\/\/localhost:\d+)\//.exec(gateway.output())?.[1];
        },
        40_000,
        'the printed URL',
      );
      expect(gateway.output()).toContain('1 gateway process(es), 0 consumer(s), 8 shards');
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      await waitFor(
        async () =>
          (await t.redis.hexists(consumersKey({ prefix, shards: SHARDS }), `${hostname()}-${consumer.child.pid}`)) ===
          1,
        20_000,
        'the consumer to announce itself under its default name',
      );

      const { settled } = await buyOnceOverHttp(base);
      expect(settled.status).toBe('PURCHASED');

      gateway.child.kill('SIGINT');
      consumer.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      expect(await consumer.exited).toBe(0);
    } finally {
      for (const { child } of [gateway, consumer]) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await Promise.all([gateway.exited, consumer.exited]);
      await deleteKeys(t.redis, prefix);
      await db.drop();
    }
  }, 60_000);
});
