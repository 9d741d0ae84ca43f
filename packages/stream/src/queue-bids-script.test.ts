import { deleteKeys, randomPrefix, redisUrl } from '@dutch/testkit';
import { type RedisCluster, startRedisCluster } from '@dutch/testkit/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closingKey,
  idempotencyClaimKey,
  idempotencyReplayKey,
  type KeyLayout,
  pendingReceiptsKey,
  streamKey,
} from './keys.ts';
import { encodeIdempotencyRecord, type QueueBidArgs, type QueueMode, queueBid } from './queue-bid-script.ts';
import { type BatchedBid, type QueueBidsShardKeys, queueBids } from './queue-bids-script.ts';
import { connectRedis, type RedisClient } from './redis.ts';

const layout: KeyLayout = { prefix: randomPrefix(), shards: 2 };
const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
afterAll(async () => {
  await deleteKeys(redis, layout.prefix);
  redis.disconnect();
});

/** Each test its own shard keys, so counts in the stream and the pending hash are its own. */
let n = 0;
function shard(): QueueBidsShardKeys & { tag: string } {
  n += 1;
  const tag = `case-${n}`;
  return { tag, stream: streamKey(layout, n), pendingReceipts: pendingReceiptsKey(layout, n) };
}

interface BidSpec {
  readonly mode: QueueMode;
  readonly key?: string;
  readonly fingerprint?: string;
  readonly auction?: string;
  readonly acceptedAt?: number;
}

let receipts = 0;
function bid(at: { tag: string }, spec: BidSpec): BatchedBid {
  receipts += 1;
  const key = spec.key ?? `k${receipts}`;
  const replay = idempotencyReplayKey(layout, n, 'buyer', `${at.tag}-${key}`);
  const args: QueueBidArgs = {
    mode: spec.mode,
    receiptId: `receipt-${receipts}`,
    pendingJson: `{"receipt":${receipts}}`,
    fingerprint: spec.fingerprint ?? 'fp',
    answerJson: `{"answer":${receipts}}`,
    keyTtlSeconds: 60,
    acceptedAt: spec.acceptedAt ?? 1_000,
    fields: ['kind', 'bid', 'receipt', String(receipts)],
  };
  return {
    keys: {
      replay,
      closing: closingKey(layout, n, spec.auction ?? 'auction'),
      ...(spec.mode === 'K' ? { claim: idempotencyClaimKey(layout, 'buyer', `${at.tag}-${key}`) } : {}),
    },
    args,
  };
}

const pendingOf = (at: QueueBidsShardKeys, b: BatchedBid) => redis.hget(at.pendingReceipts, b.args.receiptId);

describe('QUEUE_BIDS, several bids of one shard in one script', () => {
  it('queues bids of every mode in order, each with its receipt and its key record', async () => {
    const at = shard();
    const bids = [bid(at, { mode: '0' }), bid(at, { mode: 'K' }), bid(at, { mode: 'R' }), bid(at, { mode: 'K' })];
    const results = await queueBids(redis, at, bids);
    expect(results.map(([outcome]) => outcome)).toEqual(['queued', 'queued', 'queued', 'queued']);
    const entries = await redis.xrange(at.stream, '-', '+');
    expect(entries.map(([id]) => id)).toEqual(results.map(([, id]) => id));
    expect(entries.map(([, fields]) => fields[3])).toEqual(bids.map((b) => b.args.fields[3]));
    for (const b of bids) expect(await pendingOf(at, b)).toBe(b.args.pendingJson);
    const [none, single, cluster] = bids as [BatchedBid, BatchedBid, BatchedBid];
    expect(await redis.get(single.keys.claim ?? '')).toBe(encodeIdempotencyRecord('fp', single.args.answerJson));
    expect(await redis.get(cluster.keys.replay)).toBe(cluster.args.answerJson);
    expect(await redis.exists(none.keys.replay, single.keys.replay)).toBe(0);
  });

  it('answers a retry in the same batch as if it came after the first: replay, or reused for another request', async () => {
    const sequence: BidSpec[] = [
      { mode: 'K', key: 'same' },
      { mode: 'K', key: 'same' },
      { mode: 'K', key: 'same', fingerprint: 'other' },
      { mode: 'R', key: 'again' },
      { mode: 'R', key: 'again' },
    ];
    const at = shard();
    const bids = sequence.map((spec) => bid(at, spec));
    const batched = await queueBids(redis, at, bids);
    const first = (bids[0] as BatchedBid).args.answerJson;
    const firstR = (bids[3] as BatchedBid).args.answerJson;
    expect(batched.map(([outcome]) => outcome)).toEqual(['queued', 'replay', 'reused', 'queued', 'replay']);
    expect(batched[1]).toEqual(['replay', first]);
    expect(batched[4]).toEqual(['replay', firstR]);
    expect(await redis.xlen(at.stream)).toBe(2);
    expect(await pendingOf(at, bids[1] as BatchedBid)).toBeNull();

    // The same bids sent one after the other, each by QUEUE_BID, on keys of their own.
    const alone = shard();
    const outcomes: string[] = [];
    for (const spec of sequence) {
      const { keys, args } = bid(alone, spec);
      outcomes.push((await queueBid(redis, { ...alone, ...keys }, args))[0]);
    }
    expect(batched.map(([outcome]) => outcome)).toEqual(outcomes);
  });

  it('refuses a bid stamped before a queued close as late, writing nothing for it, and queues the others', async () => {
    const at = shard();
    const END = 1_700_000_000_000;
    await redis.set(closingKey(layout, n, 'closed'), `${END}:${END + 2_000}`);
    const bids = [
      bid(at, { mode: 'K', auction: 'closed', acceptedAt: END - 1 }),
      bid(at, { mode: 'R', auction: 'closed', acceptedAt: END - 1 }),
      bid(at, { mode: '0', auction: 'closed', acceptedAt: END }),
      bid(at, { mode: '0', auction: 'open', acceptedAt: END - 1 }),
    ];
    const results = await queueBids(redis, at, bids);
    expect(results.map(([outcome]) => outcome)).toEqual(['late', 'late', 'queued', 'queued']);
    expect(await redis.xlen(at.stream)).toBe(2);
    for (const late of bids.slice(0, 2)) {
      expect(await pendingOf(at, late)).toBeNull();
      expect(await redis.exists(late.keys.replay, late.keys.claim ?? late.keys.replay)).toBe(0);
    }
  });

  it('answers error for a bid whose own command fails, writing nothing for it, and queues the others', async () => {
    const at = shard();
    const bids = [bid(at, { mode: '0' }), bid(at, { mode: 'K' }), bid(at, { mode: 'K' }), bid(at, { mode: 'R' })];
    const broken = bids[1] as BatchedBid;
    // A claim key of the wrong type: the bid's GET is refused (WRONGTYPE) before it writes anything.
    await redis.hset(broken.keys.claim ?? '', 'not', 'a string');
    const results = await queueBids(redis, at, bids);
    expect(results.map(([outcome]) => outcome)).toEqual(['queued', 'error', 'queued', 'queued']);
    expect(results[1]?.[1]).toMatch(/^WRONGTYPE/);
    expect(await redis.xlen(at.stream)).toBe(3);
    expect(await pendingOf(at, broken)).toBeNull();
    expect(await redis.hlen(at.pendingReceipts)).toBe(3);
  });

  it('answers nothing for an empty batch', async () => {
    expect(await queueBids(redis, shard(), [])).toEqual([]);
  });

  it("refuses a mode 'K' bid without its claim key before sending anything", async () => {
    const at = shard();
    const { args, keys } = bid(at, { mode: 'K' });
    await expect(
      queueBids(redis, at, [{ args, keys: { replay: keys.replay, closing: keys.closing } }]),
    ).rejects.toThrow(/claim key/);
    expect(await redis.xlen(at.stream)).toBe(0);
  });
});

describe('QUEUE_BIDS on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: RedisClient;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    const clusterNodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
    client = connectRedis({ url: '', clusterNodes });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('sends each shard its own call, to the node of its slot, even when several are sent in one turn', async () => {
    const shards = Array.from({ length: 6 }, () => {
      const at = shard();
      return {
        at,
        bids: [bid(at, { mode: '0' }), bid(at, { mode: 'R', key: 'same' }), bid(at, { mode: 'R', key: 'same' })],
      };
    });
    const answers = await Promise.all(shards.map(({ at, bids }) => queueBids(client, at, bids)));
    for (const [i, results] of answers.entries()) {
      expect(results.map(([outcome]) => outcome)).toEqual(['queued', 'queued', 'replay']);
      expect(await client.xlen((shards[i] as { at: QueueBidsShardKeys }).at.stream)).toBe(2);
    }
  });
});
