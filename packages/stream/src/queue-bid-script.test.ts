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
import {
  type BatchedBid,
  decodeIdempotencyRecord,
  encodeIdempotencyRecord,
  type QueueBidArgs,
  type QueueBidsShardKeys,
  type QueueMode,
  queueBids,
} from './queue-bid-script.ts';
import { connectRedis, type RedisClient } from './redis.ts';

const layout: KeyLayout = { prefix: randomPrefix(), shards: 2 };
const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
afterAll(async () => {
  await deleteKeys(redis, layout.prefix);
  redis.disconnect();
});

type OneBidKeys = QueueBidsShardKeys & BatchedBid['keys'];

/** One bid alone: a batch of one, as a gateway sends a bid no other arrived with. */
async function queueOne(keys: OneBidKeys, args: QueueBidArgs): Promise<[string, string]> {
  const { stream, pendingReceipts, ...own } = keys;
  const [result] = await queueBids(redis, { stream, pendingReceipts }, [{ keys: own, args }]);
  if (result === undefined) throw new Error('no answer for the bid');
  return result;
}

const shardKeys = {
  stream: streamKey(layout, 0),
  pendingReceipts: pendingReceiptsKey(layout, 0),
  replay: idempotencyReplayKey(layout, 0, 'buyer', 'k1'),
  closing: closingKey(layout, 0, 'auction-open'),
};
const args = (fingerprint: string, answerJson: string): QueueBidArgs => ({
  mode: 'K',
  receiptId: `r-${fingerprint}`,
  pendingJson: '{}',
  fingerprint,
  answerJson,
  keyTtlSeconds: 60,
  acceptedAt: 1_000,
  fields: ['f', 'v'],
});

describe('the idempotency record the bid script writes', () => {
  it('is the text encodeIdempotencyRecord makes, and decodes back to its parts', async () => {
    const claim = idempotencyClaimKey(layout, 'buyer', 'k1');
    const [outcome] = await queueOne({ ...shardKeys, claim }, args('fp1', '{"a":"x\\ny"}'));
    expect(outcome).toBe('queued');
    const record = await redis.get(claim);
    expect(record).toBe(encodeIdempotencyRecord('fp1', '{"a":"x\\ny"}'));
    expect(decodeIdempotencyRecord(record ?? '')).toEqual({ fingerprint: 'fp1', answerJson: '{"a":"x\\ny"}' });
  });

  it('replays the answer for the same fingerprint and refuses another', async () => {
    const claim = idempotencyClaimKey(layout, 'buyer', 'k2');
    await queueOne({ ...shardKeys, claim }, args('fp2', '{"n":1}'));
    expect(await queueOne({ ...shardKeys, claim }, args('fp2', '{"n":2}'))).toEqual(['replay', '{"n":1}']);
    expect(await queueOne({ ...shardKeys, claim }, args('other', '{"n":3}'))).toEqual(['reused', '']);
  });

  it('decodes a cluster claim (fingerprint alone) as having no answer', () => {
    expect(decodeIdempotencyRecord('fp')).toEqual({ fingerprint: 'fp', answerJson: null });
  });
});

describe("a bid stamped before its auction's queued close", () => {
  const END = 1_700_000_000_000;
  let n = 0;
  /** Keys of an auction of its own, its close recorded as appendClose records it (or not at all). */
  async function auction(closing: string | null) {
    n += 1;
    const keys = {
      stream: streamKey(layout, 0),
      pendingReceipts: pendingReceiptsKey(layout, 0),
      replay: idempotencyReplayKey(layout, 0, 'buyer', `late-${n}`),
      closing: closingKey(layout, 0, `auction-${n}`),
    };
    if (closing !== null) await redis.set(keys.closing, closing);
    return keys;
  }
  const bid = (mode: QueueBidArgs['mode'], acceptedAt: number, fingerprint = `fp-${n}`): QueueBidArgs => ({
    ...args(fingerprint, '{"first":true}'),
    mode,
    receiptId: `receipt-${n}-${acceptedAt}-${mode}`,
    acceptedAt,
  });
  const entries = () => redis.xlen(streamKey(layout, 0));

  it('is refused as late in every mode, and writes nothing: no entry, no pending receipt, no claim', async () => {
    for (const mode of ['0', 'K', 'R'] as const) {
      const keys = await auction(`${END}:${END + 2_000}`);
      const claim = idempotencyClaimKey(layout, 'buyer', `late-claim-${n}`);
      const before = await entries();
      const refused = await queueOne(mode === 'K' ? { ...keys, claim } : keys, bid(mode, END - 1));
      expect(refused).toEqual(['late', '']);
      expect(await entries()).toBe(before);
      expect(await redis.hexists(keys.pendingReceipts, `receipt-${n}-${END - 1}-${mode}`)).toBe(0);
      expect(await redis.exists(claim, keys.replay)).toBe(0);
    }
  });

  it('is queued when stamped at or after the close it meets, and when no close is queued', async () => {
    const closed = await auction(`${END}:${END + 2_000}`);
    expect((await queueOne(closed, bid('0', END)))[0]).toBe('queued');
    expect((await queueOne(closed, bid('0', END + 5)))[0]).toBe('queued');
    const open = await auction(null);
    expect((await queueOne(open, bid('0', END - 1)))[0]).toBe('queued');
  });

  it('is queued after a sell-out close (recorded for 0): bids after a sell-out settle SOLD_OUT instead', async () => {
    const soldOut = await auction(`0:${END - 60_000}`);
    expect((await queueOne(soldOut, bid('0', END - 60_000)))[0]).toBe('queued');
  });

  it('still gets its first answer when it is a retry of a bid queued before the close', async () => {
    const keys = await auction(null);
    const claim = idempotencyClaimKey(layout, 'buyer', `retry-${n}`);
    expect((await queueOne({ ...keys, claim }, bid('K', END - 10, 'same')))[0]).toBe('queued');
    expect((await queueOne(keys, bid('R', END - 10, 'same')))[0]).toBe('queued');
    await redis.set(keys.closing, `${END}:${END + 2_000}`);
    expect(await queueOne({ ...keys, claim }, bid('K', END - 10, 'same'))).toEqual(['replay', '{"first":true}']);
    expect(await queueOne(keys, bid('R', END - 10, 'same'))).toEqual(['replay', '{"first":true}']);
    expect(await queueOne({ ...keys, claim }, bid('K', END - 10, 'other'))).toEqual(['reused', '']);
  });
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

describe('the bid script, several bids of one shard in one call', () => {
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

    // The same bids sent one after the other, each alone, on keys of their own.
    const alone = shard();
    const outcomes: string[] = [];
    for (const spec of sequence) {
      const { keys, args } = bid(alone, spec);
      outcomes.push((await queueOne({ ...alone, ...keys }, args))[0]);
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

describe('the bid script on a Redis Cluster', () => {
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
