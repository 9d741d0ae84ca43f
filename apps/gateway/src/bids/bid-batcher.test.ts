import {
  closingKey,
  connectRedis,
  idempotencyClaimKey,
  idempotencyReplayKey,
  type KeyLayout,
  pendingReceiptsKey,
  type QueueBidArgs,
  type QueueMode,
  type RedisClient,
  streamKey,
} from '@dutch/stream';
import { deleteKeys, randomPrefix, redisUrl } from '@dutch/testkit';
import { createSandbox, type PrivateRedis, type Sandbox, startPrivateRedis } from '@dutch/testkit/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api-error.ts';
import { BidBatcher } from './bid-batcher.ts';

const layout: KeyLayout = { prefix: randomPrefix(), shards: 4 };
const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
afterAll(async () => {
  await deleteKeys(redis, layout.prefix);
  redis.disconnect();
});

/**
 * Counts the script calls a connection sends, and the bids in each (its key count says how many).
 * ioredis copies the method into each auto-pipeline it makes and calls it there again: only the
 * call on the connection itself is counted.
 */
function countScriptCalls(client: RedisClient): number[] {
  const sizes: number[] = [];
  type Send = (this: unknown, numKeys: number, ...rest: unknown[]) => Promise<unknown>;
  const commands = client as unknown as { queueBids: Send };
  const original = commands.queueBids;
  commands.queueBids = function (this: unknown, numKeys, ...rest) {
    if (this === client) sizes.push((numKeys - 2) / 3);
    return original.call(this, numKeys, ...rest);
  };
  return sizes;
}

let receipts = 0;
/** One bid of `shard`: its keys for BidBatcher.queue and the bid script's arguments. */
function bid(shard: number, mode: QueueMode = '0', key = `k${receipts + 1}`, target = layout) {
  receipts += 1;
  const keys = {
    replay: idempotencyReplayKey(target, shard, 'buyer', key),
    closing: closingKey(target, shard, 'auction'),
    ...(mode === 'K' ? { claim: idempotencyClaimKey(target, 'buyer', key) } : {}),
  };
  const args: QueueBidArgs = {
    mode,
    receiptId: `receipt-${receipts}`,
    pendingJson: '{}',
    fingerprint: 'fp',
    answerJson: `{"answer":${receipts}}`,
    keyTtlSeconds: 60,
    acceptedAt: 1_000,
    fields: ['receipt', String(receipts)],
  };
  return [shard, keys, args] as const;
}

describe('BidBatcher', () => {
  const sizes = countScriptCalls(redis);
  const batcher = new BidBatcher(redis, layout, { timeoutMs: 10_000 });
  afterAll(() => batcher.close());

  it('sends the bids of one event-loop turn as one script call per shard, answering each bid its own outcome', async () => {
    sizes.length = 0;
    const bids = Array.from({ length: 100 }, (_, i) => bid(i % 2, 'K', i === 99 ? 'k-first' : undefined));
    const retry = bid(1, 'K', 'k-first');
    const answers = await Promise.all([...bids, retry].map((b) => batcher.queue(...b)));
    expect(sizes.sort((a, b) => a - b)).toEqual([50, 51]);
    expect(answers.slice(0, 100).every(([outcome]) => outcome === 'queued')).toBe(true);
    expect(answers[100]).toEqual(['replay', bids[99]?.[2].answerJson]);
    expect(await redis.xlen(streamKey(layout, 0))).toBe(50);
    expect(await redis.xlen(streamKey(layout, 1))).toBe(50);
  });

  it('sends a batch at once when it reaches maxBatch, keeping the order of the bids', async () => {
    const split = new BidBatcher(redis, layout, { timeoutMs: 10_000, maxBatch: 10 });
    sizes.length = 0;
    const bids = Array.from({ length: 25 }, () => bid(2));
    const answers = await Promise.all(bids.map((b) => split.queue(...b)));
    expect(sizes).toEqual([10, 10, 5]);
    const entries = await redis.xrange(streamKey(layout, 2), '-', '+');
    expect(entries.map(([id]) => id)).toEqual(answers.map(([, id]) => id));
    expect(entries.map(([, fields]) => fields[1])).toEqual(bids.map(([, , args]) => args.fields[1]));
    split.close();
  });

  it('sends bids of later turns in later calls', async () => {
    sizes.length = 0;
    await batcher.queue(...bid(3));
    await batcher.queue(...bid(3));
    expect(sizes).toEqual([1, 1]);
  });

  it("rejects only the bid whose own command failed, with Redis's error", async () => {
    const bids = [bid(3, 'K'), bid(3, 'K'), bid(3, '0')];
    await redis.hset(bids[1]?.[1].claim ?? '', 'not', 'a string');
    const [first, broken, last] = await Promise.allSettled(bids.map((b) => batcher.queue(...b)));
    expect(first).toMatchObject({ status: 'fulfilled', value: ['queued', expect.any(String)] });
    expect(broken).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/^WRONGTYPE/) } });
    expect(last).toMatchObject({ status: 'fulfilled', value: ['queued', expect.any(String)] });
    expect(await redis.hexists(pendingReceiptsKey(layout, 3), bids[1]?.[2].receiptId ?? '')).toBe(0);
  });
});

describe('BidBatcher on a Redis that stops answering', () => {
  const TIMEOUT_MS = 500;
  const hung: KeyLayout = { prefix: 'hung:', shards: 1 };
  let sandbox: Sandbox;
  let server: PrivateRedis;
  let client: RedisClient;
  let batcher: BidBatcher;
  const pause = () => process.kill(server.pid() ?? 0, 'SIGSTOP');
  const resume = () => process.kill(server.pid() ?? 0, 'SIGCONT');

  beforeAll(async () => {
    sandbox = createSandbox('bid-batcher');
    server = await startPrivateRedis(sandbox);
    client = connectRedis({ url: server.url, clusterNodes: null });
    batcher = new BidBatcher(client, hung, { timeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    batcher?.close();
    if (server?.pid()) resume();
    client?.disconnect();
    await sandbox?.cleanup();
  });

  it('answers every bid of the stuck batch 503 after timeoutMs, and later batches once Redis is back', async () => {
    expect((await batcher.queue(...bid(0, 'K', 'warm', hung)))[0]).toBe('queued');
    pause();
    const bids = Array.from({ length: 20 }, (_, i) => bid(0, 'K', `stuck-${i}`, hung));
    const started = Date.now();
    const settled = await Promise.allSettled(bids.map((b) => batcher.queue(...b)));
    const waited = Date.now() - started;
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as ApiError;
      expect(reason).toBeInstanceOf(ApiError);
      expect([reason.code, reason.headers]).toEqual(['SERVICE_UNAVAILABLE', { 'Retry-After': '1' }]);
      expect(reason.message).toMatch(/may still have been queued.*same Idempotency-Key/);
    }
    // Bounded by the batch's timer; the margin is for a loaded machine, not a speed claim.
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(TIMEOUT_MS + 5_000);

    resume();
    expect((await batcher.queue(...bid(0, '0', 'after', hung)))[0]).toBe('queued');
    // The stuck script ran once Redis woke: a retry with the key learns the bid was queued after all.
    const [, keys, args] = bids[0] ?? bid(0);
    expect(await batcher.queue(0, keys, { ...args, receiptId: 'retry' })).toEqual(['replay', args.answerJson]);
  });

  it('close() fails the bids still waiting, sent or not, and every bid after it', async () => {
    pause();
    const sent = batcher.queue(...bid(0, 'K', 'sent', hung));
    await new Promise((resolve) => setImmediate(resolve));
    const unsent = batcher.queue(...bid(0, 'K', 'unsent', hung));
    batcher.close();
    await expect(sent).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: /may have been queued/ });
    await expect(unsent).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: /did not queue the bid/ });
    await expect(batcher.queue(...bid(0, '0', 'late', hung))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    resume();
  });
});
