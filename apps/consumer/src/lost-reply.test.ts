import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { auditLedger } from '@dutch/db';
import { connectRedis, type KeyLayout, type RedisClient, shardOf, streamKey } from '@dutch/stream';
import {
  bid,
  createAuction,
  createMembers,
  createTestDatabase,
  deleteKeys,
  enqueue,
  randomPrefix,
  receiptsOf,
  redisUrl,
  startTestConsumer,
  type TestConsumer,
  type TestDatabase,
  waitFor,
} from '@dutch/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * A TCP proxy in front of the real Redis that can cut a connection right after Redis has
 * answered, so the answer never arrives: what a Redis crash or a network cut does to a command
 * in flight. `trap` is armed once: the first answer it matches is dropped with its connection.
 */
interface CuttingProxy {
  readonly url: string;
  arm(match: (chunk: Buffer) => boolean): Promise<void>;
  close(): Promise<void>;
}

async function startCuttingProxy(target: URL): Promise<CuttingProxy> {
  let trap: ((chunk: Buffer) => boolean) | null = null;
  let sprung: () => void = () => {};
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (trap?.(chunk)) {
        trap = null;
        client.destroy();
        upstream.destroy();
        sprung();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  // The target's URL with only host and port swapped, so a database number (/12) or credentials carry over.
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    arm(match) {
      trap = match;
      return new Promise((resolve) => {
        sprung = resolve;
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let db: TestDatabase;
let redis: RedisClient;
let layout: KeyLayout;
let proxy: CuttingProxy;
let consumer: TestConsumer | null = null;

beforeEach(async () => {
  db = await createTestDatabase();
  redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  layout = { prefix: randomPrefix(), shards: 1 };
  proxy = await startCuttingProxy(new URL(redisUrl()));
});
afterEach(async () => {
  await consumer?.close();
  consumer = null;
  await proxy.close();
  await deleteKeys(redis, layout.prefix);
  await redis.quit();
  await db.drop();
});

describe('a read whose answer is lost (Redis restarted, connection cut)', () => {
  it('the batch Redis delivered but the consumer never got is settled before anything newer', async () => {
    const [seller, ...buyers] = await createMembers(db.sql, [0, ...Array.from({ length: 20 }, () => 10_000)]);
    const auction = await createAuction(db.db, seller as string, { stock: 1_000, perBuyerLimit: 100 });
    const key = streamKey(layout, shardOf(auction.id, layout.shards));
    const message = (i: number) => bid(auction, buyers[i % buyers.length] as string, 1);
    const first = await enqueue(
      redis,
      layout,
      Array.from({ length: 10 }, (_, i) => message(i)),
    );

    // The consumer's first read delivers those ten (they become pending with it); its answer is dropped.
    const cut = proxy.arm((chunk) => chunk.includes(key) && chunk.includes(first[0] as string));
    consumer = startTestConsumer(db.url, layout, 'cut-off', { REDIS_URL: proxy.url, CLAIM_IDLE_MS: '300' });
    await consumer.consumer.start();
    await cut;
    // ioredis reconnects and sends the read again: it now finds only what comes next.
    const second = await enqueue(
      redis,
      layout,
      Array.from({ length: 10 }, (_, i) => message(i + 10)),
    );

    await waitFor(async () => (await receiptsOf(db.sql, auction.id)).length === 20, 30_000, 'all twenty settled');
    const settled = await receiptsOf(db.sql, auction.id);
    expect(settled.map((r) => r.streamId)).toEqual([...first, ...second]);
    expect(await auditLedger(db.sql)).toEqual([]);
  });
});
