import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { auditLedger } from '@dutch/db';
import { CONSUMER_GROUP, connectRedis, type KeyLayout, type RedisClient, shardOf, streamKey } from '@dutch/stream';
import {
  bid,
  consumerEnv,
  createAuction,
  createMembers,
  createTestDatabase,
  deleteKeys,
  enqueue,
  pointsOf,
  randomPrefix,
  receiptsOf,
  redisUrl,
  startTestConsumer,
  stockOf,
  type TestDatabase,
  waitFor,
} from '@dutch/testkit';
import { v4 as uuidv4 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let crashDb: TestDatabase;
let refDb: TestDatabase;
let redis: RedisClient;
let crashLayout: KeyLayout;
let refLayout: KeyLayout;
let child: ChildProcess | null = null;

beforeEach(async () => {
  [crashDb, refDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  redis = connectRedis({ url: redisUrl(), clusterNodes: null });
  crashLayout = { prefix: randomPrefix(), shards: 2 };
  refLayout = { prefix: randomPrefix(), shards: 2 };
});

afterEach(async () => {
  child?.kill('SIGKILL');
  await Promise.all([deleteKeys(redis, crashLayout.prefix), deleteKeys(redis, refLayout.prefix)]);
  await redis.quit();
  await Promise.all([crashDb.drop(), refDb.drop()]);
});

async function settled(db: TestDatabase): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from receipts`;
  return row?.n ?? 0;
}

describe('crash', () => {
  it('a consumer SIGKILLed mid-batch: another takes over and the outcome equals a run without the crash', async () => {
    const ids = Array.from({ length: 301 }, () => uuidv4());
    const points = ids.map((_, i) => (i === 0 ? 0 : 300 + ((i * 7919) % 900)));
    const auctionId = uuidv4();
    const seed = async (db: TestDatabase) => {
      await createMembers(db.sql, points, ids);
      return createAuction(db.db, ids[0] as string, { stock: 700, perBuyerLimit: 6, startPrice: 100 }, auctionId);
    };
    const [auction] = await Promise.all([seed(crashDb), seed(refDb)]);
    const messages = Array.from({ length: 2_000 }, (_, i) =>
      bid(auction, ids[1 + ((i * 131) % 300)] as string, 1 + (i % 3)),
    );
    await enqueue(redis, crashLayout, messages);
    await enqueue(redis, refLayout, messages);

    // The reference: one consumer, no crash.
    const ref = startTestConsumer(refDb.url, refLayout, 'ref');
    await waitFor(
      async () => (await ref.consumer.consumeOnce()) === 0 && (await settled(refDb)) === messages.length,
      30_000,
      'reference run',
    );
    await ref.close();

    // The victim: a real process, killed without warning while it is settling.
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        ...consumerEnv(crashDb.url, crashLayout, { CONSUMER_NAME: 'victim', BATCH_SIZE: '5', LOG_LEVEL: 'warn' }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(async () => (await settled(crashDb)) >= 200, 30_000, 'the victim to settle some bids');
    // Freeze the victim until we catch it holding entries it has read but not yet acknowledged,
    // then kill it there: a crash in the middle of a batch, not between two.
    const key = streamKey(crashLayout, shardOf(auctionId, crashLayout.shards));
    const victimPending = async () => {
      const summary = (await redis.xpending(key, CONSUMER_GROUP)) as [
        number,
        string,
        string,
        [string, string][] | null,
      ];
      return Number(summary[3]?.find(([name]) => name === 'victim')?.[1] ?? 0);
    };
    const victim = child;
    await waitFor(
      async () => {
        victim.kill('SIGSTOP');
        if ((await victimPending()) > 0) return true;
        victim.kill('SIGCONT');
        await new Promise((resolve) => setTimeout(resolve, 3));
        return false;
      },
      30_000,
      'the victim mid-batch',
    );
    const exited = new Promise((resolve) => victim.once('exit', resolve));
    victim.kill('SIGKILL');
    await exited;
    child = null;
    expect(await settled(crashDb)).toBeLessThan(messages.length);
    expect(await victimPending()).toBeGreaterThan(0);

    const heir = startTestConsumer(crashDb.url, crashLayout, 'heir');
    await waitFor(
      async () => {
        await heir.consumer.consumeOnce();
        return (await settled(crashDb)) === messages.length;
      },
      30_000,
      'the heir to finish',
    );
    await heir.close();

    const outcome = async (db: TestDatabase) => ({
      receipts: (await receiptsOf(db.sql, auctionId)).map((r) => [r.id, r.status, r.failureReason, r.total]),
      points: [...(await pointsOf(db.sql, ids)).entries()].sort(),
      stock: await stockOf(db.sql, auctionId),
    });
    const [crashed, reference] = await Promise.all([outcome(crashDb), outcome(refDb)]);
    expect(crashed).toEqual(reference);
    expect(crashed.receipts.map(([id]) => id)).toEqual(messages.map((m) => m.receiptId));
    expect(await auditLedger(crashDb.sql)).toEqual([]);
    expect((await redis.xpending(key, CONSUMER_GROUP))[0]).toBe(0);
  }, 60_000);
});
