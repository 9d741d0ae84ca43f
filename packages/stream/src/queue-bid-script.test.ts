import { deleteKeys, randomPrefix, redisUrl } from '@dutch/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closingKey,
  idempotencyClaimKey,
  idempotencyReplayKey,
  type KeyLayout,
  pendingReceiptsKey,
  streamKey,
} from './keys.ts';
import {
  decodeIdempotencyRecord,
  defineQueueBid,
  encodeIdempotencyRecord,
  type QueueBidArgs,
  queueBid,
} from './queue-bid-script.ts';
import { connectRedis } from './redis.ts';

const layout: KeyLayout = { prefix: randomPrefix(), shards: 1 };
const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
defineQueueBid(redis);
afterAll(async () => {
  await deleteKeys(redis, layout.prefix);
  redis.disconnect();
});

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
    const [outcome] = await queueBid(redis, { ...shardKeys, claim }, args('fp1', '{"a":"x\\ny"}'));
    expect(outcome).toBe('queued');
    const record = await redis.get(claim);
    expect(record).toBe(encodeIdempotencyRecord('fp1', '{"a":"x\\ny"}'));
    expect(decodeIdempotencyRecord(record ?? '')).toEqual({ fingerprint: 'fp1', answerJson: '{"a":"x\\ny"}' });
  });

  it('replays the answer for the same fingerprint and refuses another', async () => {
    const claim = idempotencyClaimKey(layout, 'buyer', 'k2');
    await queueBid(redis, { ...shardKeys, claim }, args('fp2', '{"n":1}'));
    expect(await queueBid(redis, { ...shardKeys, claim }, args('fp2', '{"n":2}'))).toEqual(['replay', '{"n":1}']);
    expect(await queueBid(redis, { ...shardKeys, claim }, args('other', '{"n":3}'))).toEqual(['reused', '']);
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
      const refused = await queueBid(redis, mode === 'K' ? { ...keys, claim } : keys, bid(mode, END - 1));
      expect(refused).toEqual(['late', '']);
      expect(await entries()).toBe(before);
      expect(await redis.hexists(keys.pendingReceipts, `receipt-${n}-${END - 1}-${mode}`)).toBe(0);
      expect(await redis.exists(claim, keys.replay)).toBe(0);
    }
  });

  it('is queued when stamped at or after the close it meets, and when no close is queued', async () => {
    const closed = await auction(`${END}:${END + 2_000}`);
    expect((await queueBid(redis, closed, bid('0', END)))[0]).toBe('queued');
    expect((await queueBid(redis, closed, bid('0', END + 5)))[0]).toBe('queued');
    const open = await auction(null);
    expect((await queueBid(redis, open, bid('0', END - 1)))[0]).toBe('queued');
  });

  it('is queued after a sell-out close (recorded for 0): bids after a sell-out settle SOLD_OUT instead', async () => {
    const soldOut = await auction(`0:${END - 60_000}`);
    expect((await queueBid(redis, soldOut, bid('0', END - 60_000)))[0]).toBe('queued');
  });

  it('still gets its first answer when it is a retry of a bid queued before the close', async () => {
    const keys = await auction(null);
    const claim = idempotencyClaimKey(layout, 'buyer', `retry-${n}`);
    expect((await queueBid(redis, { ...keys, claim }, bid('K', END - 10, 'same')))[0]).toBe('queued');
    expect((await queueBid(redis, keys, bid('R', END - 10, 'same')))[0]).toBe('queued');
    await redis.set(keys.closing, `${END}:${END + 2_000}`);
    expect(await queueBid(redis, { ...keys, claim }, bid('K', END - 10, 'same'))).toEqual(['replay', '{"first":true}']);
    expect(await queueBid(redis, keys, bid('R', END - 10, 'same'))).toEqual(['replay', '{"first":true}']);
    expect(await queueBid(redis, { ...keys, claim }, bid('K', END - 10, 'other'))).toEqual(['reused', '']);
  });
});
