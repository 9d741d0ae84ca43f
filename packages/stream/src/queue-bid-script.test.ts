import { deleteKeys, randomPrefix, redisUrl } from '@dutch/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { idempotencyClaimKey, idempotencyReplayKey, type KeyLayout, pendingReceiptsKey, streamKey } from './keys.ts';
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
};
const args = (fingerprint: string, answerJson: string): QueueBidArgs => ({
  mode: 'K',
  receiptId: `r-${fingerprint}`,
  pendingJson: '{}',
  fingerprint,
  answerJson,
  keyTtlSeconds: 60,
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
