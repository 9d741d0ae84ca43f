import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { auditLedger } from '@dutch/db';
import { CONSUMER_GROUP, connectRedis, type KeyLayout, type RedisClient, shardOf, streamKey } from '@dutch/stream';
import {
  bid,
  consumerEnv,
  createAuction,
  createMember,
  createMembers,
  createTestDatabase,
  deleteKeys,
  enqueue,
  randomPrefix,
  receiptsOf,
  redisUrl,
  sleep,
  startTestConsumer,
  type TestConsumer,
  type TestDatabase,
  waitFor,
} from '@dutch/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockClassId } from './shard-locks.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TAKEOVER = { REBALANCE_MS: '100', SHARD_TAKEOVER_MS: '1000' };

let db: TestDatabase;
let redis: RedisClient;
let layout: KeyLayout;
let child: ChildProcess | null = null;
let heir: TestConsumer | null = null;

beforeEach(async () => {
  db = await createTestDatabase();
  redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  layout = { prefix: randomPrefix(), shards: 2 };
});

afterEach(async () => {
  child?.kill('SIGCONT');
  child?.kill('SIGKILL');
  await heir?.close();
  heir = null;
  await deleteKeys(redis, layout.prefix);
  await redis.quit();
  await db.drop();
});

async function settled(auctionId: string): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from receipts where auction_id = ${auctionId}`;
  return row?.n ?? 0;
}

/** The victim's sessions: its application_name ends with its consumer name. */
async function victimBackends(): Promise<{ pid: number; state: string | null }[]> {
  return db.sql<{ pid: number; state: string | null }[]>`
    select pid, state from pg_stat_activity
    where datname = ${db.name} and application_name like 'dutch-consumer % victim'`;
}

/** Shard locks held by the victim's sessions. */
async function victimShards(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.classid = ${lockClassId(layout.prefix)}::int::oid and l.granted
      and a.application_name like 'dutch-consumer % victim'`;
  return row?.n ?? 0;
}

describe('a consumer process frozen with SIGSTOP', () => {
  it('is taken over within the bound, commits nothing after it wakes, and rejoins', async () => {
    const seller = await createMember(db.sql);
    const buyers = await createMembers(db.sql, Array(100).fill(100_000));
    const auction = await createAuction(db.db, seller, { stock: 5_000, perBuyerLimit: 100 });
    const key = streamKey(layout, shardOf(auction.id, layout.shards));
    const first = Array.from({ length: 1_500 }, (_, i) => bid(auction, buyers[i % 100] as string, 1));
    await enqueue(redis, layout, first);

    const victim = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        ...consumerEnv(db.url, layout, { CONSUMER_NAME: 'victim', BATCH_SIZE: '5', LOG_LEVEL: 'error', ...TAKEOVER }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = victim;
    let exitedEarly = false;
    victim.once('exit', () => {
      exitedEarly = true;
    });
    await waitFor(async () => (await settled(auction.id)) >= 100, 30_000, 'the victim to settle some bids');

    // Freeze it inside a settlement transaction: it holds the auction's row lock and has entries in hand.
    await waitFor(
      async () => {
        victim.kill('SIGSTOP');
        const backends = await victimBackends();
        if (backends.some((b) => b.state === 'idle in transaction')) return true;
        victim.kill('SIGCONT');
        await sleep(2);
        return false;
      },
      30_000,
      'the victim frozen mid-transaction',
    );
    const frozenAt = Date.now();
    const frozenPids = (await victimBackends()).map((b) => b.pid);
    expect(await settled(auction.id)).toBeLessThan(first.length);

    heir = startTestConsumer(db.url, layout, 'heir', TAKEOVER);
    await heir.consumer.start();
    await waitFor(async () => heir?.consumer.ownedShards().length === layout.shards, 20_000, 'the heir to take over');
    const takeoverMs = Date.now() - frozenAt;
    await waitFor(async () => (await settled(auction.id)) === first.length, 30_000, 'the heir to settle the backlog');
    const stillThere = await db.sql`select pid from pg_stat_activity where pid = any(${frozenPids}::int[])`;
    expect(stillThere).toEqual([]);

    // Thawed: its sessions are gone, so whatever it had in hand is refused; it rejoins and gets a shard back.
    victim.kill('SIGCONT');
    await waitFor(async () => (await victimShards()) > 0, 30_000, 'the victim to rejoin and take a shard');
    await waitFor(async () => heir?.consumer.ownedShards().length === 1, 10_000, 'the heir to hand a shard over');
    const second = Array.from({ length: 300 }, (_, i) => bid(auction, buyers[i % 100] as string, 1));
    await enqueue(redis, layout, second);
    await waitFor(async () => (await settled(auction.id)) === first.length + second.length, 30_000, 'the rest');

    expect(exitedEarly).toBe(false);
    const receipts = await receiptsOf(db.sql, auction.id);
    expect(receipts.map((r) => r.id)).toEqual([...first, ...second].map((m) => m.receiptId));
    expect(receipts.every((r) => r.status === 'PURCHASED')).toBe(true);
    expect(await auditLedger(db.sql)).toEqual([]);
    await waitFor(async () => (await redis.xpending(key, CONSUMER_GROUP))[0] === 0, 10_000, 'nothing pending');
    console.log(`[frozen-consumer] taken over ${takeoverMs} ms after the freeze`);
  }, 90_000);
});
