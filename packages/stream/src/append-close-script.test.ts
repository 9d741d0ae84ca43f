import { deleteKeys, randomPrefix, redisUrl } from '@dutch/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppendCloseArgs, appendClose } from './append-close-script.ts';
import { closingKey, type KeyLayout, streamKey } from './keys.ts';
import { decodeMessage } from './message.ts';
import { connectRedis } from './redis.ts';

const layout: KeyLayout = { prefix: randomPrefix(), shards: 1 };
const redis = connectRedis({ url: redisUrl(), clusterNodes: null });
afterAll(async () => {
  await deleteKeys(redis, layout.prefix);
  redis.disconnect();
});

const END = 1_900_000_000_000;
let next = 0;
/** A fresh auction id per test, so each has its own closing key. */
const freshAuction = () => `01900000-0000-7000-8000-${String(++next).padStart(12, '0')}`;
const keysOf = (auctionId: string) => ({ stream: streamKey(layout, 0), closing: closingKey(layout, 0, auctionId) });
const argsOf = (auctionId: string, over: Partial<AppendCloseArgs> = {}): AppendCloseArgs => ({
  auctionId,
  closeFor: END,
  now: END + 2_000,
  reappendAfterMs: 30_000,
  ttlMs: 60_000,
  guardBids: true,
  ...over,
});

async function closesOf(auctionId: string): Promise<unknown[]> {
  const entries = (await redis.xrange(streamKey(layout, 0), '-', '+')) as [string, string[]][];
  return entries
    .map(([, fields]) => decodeMessage(fields))
    .flatMap((d) => (d.ok && d.message.kind === 'close' && d.message.auctionId === auctionId ? [d.message] : []));
}

describe('appendClose', () => {
  it('can be the first use of a script on a connection busy with other commands in the same tick', async () => {
    // Auto-pipelining copies a connection's scripts into a pipeline when it creates one: a script
    // defined lazily while a pipeline was already scheduled was missing from it.
    const fresh = connectRedis({ url: redisUrl(), clusterNodes: null });
    try {
      const auctionId = freshAuction();
      const [, appended] = await Promise.all([
        fresh.get(keysOf(auctionId).closing),
        appendClose(fresh, keysOf(auctionId), argsOf(auctionId)),
      ]);
      expect(appended).toBe(true);
    } finally {
      fresh.disconnect();
    }
  });

  it('appends one close entry and records its end for the bid script', async () => {
    const auctionId = freshAuction();
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId))).toBe(true);
    expect(await closesOf(auctionId)).toEqual([{ kind: 'close', auctionId, closeFor: END, requestedAt: END + 2_000 }]);
    expect(await redis.get(closingKey(layout, 0, auctionId))).toBe(`${END}:${END + 2_000}`);
    const ttl = await redis.pttl(closingKey(layout, 0, auctionId));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('does not append the same end again while its entry is young, and does once it is old', async () => {
    const auctionId = freshAuction();
    await appendClose(redis, keysOf(auctionId), argsOf(auctionId));
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId, { now: END + 20_000 }))).toBe(false);
    expect(await closesOf(auctionId)).toHaveLength(1);
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId, { now: END + 32_000 }))).toBe(true);
    expect(await closesOf(auctionId)).toHaveLength(2);
    expect(await redis.get(closingKey(layout, 0, auctionId))).toBe(`${END}:${END + 32_000}`);
  });

  it('appends at once for a later end (an English extension), and never lowers the recorded end', async () => {
    const auctionId = freshAuction();
    await appendClose(redis, keysOf(auctionId), argsOf(auctionId));
    const later = { closeFor: END + 10_000, now: END + 12_000 };
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId, later))).toBe(true);
    expect(await redis.get(closingKey(layout, 0, auctionId))).toBe(`${END + 10_000}:${END + 12_000}`);
    // A stale closer still asking for the first end: the later one covers it.
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId, { now: END + 13_000 }))).toBe(false);
    expect(await redis.get(closingKey(layout, 0, auctionId))).toBe(`${END + 10_000}:${END + 12_000}`);
  });

  it('records a sell-out close as guarding nothing, yet does not repeat it while young', async () => {
    const auctionId = freshAuction();
    const soldOut = { guardBids: false, now: END - 60_000 };
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId, soldOut))).toBe(true);
    expect(await redis.get(closingKey(layout, 0, auctionId))).toBe(`0:${END - 60_000}`);
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId, { ...soldOut, now: END - 59_000 }))).toBe(
      false,
    );
    // The guarded close at the end still goes in, and then guards.
    expect(await appendClose(redis, keysOf(auctionId), argsOf(auctionId))).toBe(true);
    expect(await redis.get(closingKey(layout, 0, auctionId))).toBe(`${END}:${END + 2_000}`);
    expect(await closesOf(auctionId)).toHaveLength(2);
  });
});
