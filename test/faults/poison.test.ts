import {
  deadLetterKey,
  decodeMessage,
  encodePendingReceipt,
  pendingReceiptsKey,
  shardOf,
  streamKey,
} from '@dutch/stream';
import { type AcceptedBid, api, assertInvariants, bidJobs, burst, openMarket, waitFor } from '@dutch/testkit';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultStack, pendingEntries, reportFigures, settledCount, startFaultStack } from './harness.ts';

/**
 * Fault 5: poison messages on a shard's stream, between good bids. An entry no retry can help
 * (undecodable, or for an auction that does not exist) lands in the shard's dead-letter stream
 * at its first delivery, in place, with its fields as they were; a bid receipt it names ends
 * FAILED (PROCESSING_FAILED) in its place in stream order, never PENDING forever. The good bids
 * behind it settle after it, and the shard goes on. (Entries settlement rejects are retried in
 * place up to MAX_DELIVERIES times: apps/consumer/src/final-status.test.ts.)
 */
const MAX_DELIVERIES = 3;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('poison', {
    gateways: 1,
    consumers: 1,
    shards: 2,
    consumerEnv: { MAX_DELIVERIES: String(MAX_DELIVERIES), CLAIM_IDLE_MS: '1500' },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('a poison message', () => {
  it('is dead-lettered in place at its first delivery, and the bids behind it settle after it', async () => {
    const gateway = stack.gateways[0]?.url as string;
    const market = await openMarket(gateway, { auctions: 1, buyersPerAuction: 10, stock: 1_000, perBuyerLimit: 200 });
    const auction = market.auctions[0] as (typeof market.auctions)[0];
    const buyer = market.buyers[0] as (typeof market.buyers)[0];
    const shard = shardOf(auction.id, stack.layout.shards);
    const key = streamKey(stack.layout, shard);
    const place = async (count: number, seed: number): Promise<AcceptedBid[]> => {
      const report = await burst(bidJobs(market, count, seed), { targets: [gateway], concurrency: 8 });
      expect(report.serverErrors).toEqual([]);
      expect(report.accepted).toHaveLength(count);
      return report.accepted;
    };

    const before = await place(100, 11);

    // Three poisons, as a bug or a corrupted write could leave them:
    // (1) a bid whose numbers do not parse; the gateway's pending copy of its receipt exists.
    const poisonReceipt = uuidv7();
    const now = Date.now();
    await stack.redisClient.hset(
      pendingReceiptsKey(stack.layout, shard),
      poisonReceipt,
      encodePendingReceipt({
        id: poisonReceipt,
        auctionId: auction.id,
        buyerId: buyer.id,
        sellerId: auction.sellerId,
        quantity: 1,
        unitPrice: 100,
        total: 100,
        acceptedAt: now,
      }),
      'EX',
      3_600,
    );
    const unparseable = [
      ...['kind', 'bid', 'receiptId', poisonReceipt, 'auctionId', auction.id, 'buyerId', buyer.id],
      ...['quantity', 'NaN', 'unitPrice', '1e999', 'acceptedAt', 'yesterday'],
    ];
    // (2) not a message at all; (3) well formed, for an auction that does not exist.
    const garbage = ['\u0000\uffff', 'DROP TABLE receipts; --', 'kind', 'refund?'];
    const orphan = [
      ...['kind', 'bid', 'receiptId', uuidv7(), 'auctionId', uuidv4(), 'buyerId', buyer.id],
      ...['quantity', '1', 'unitPrice', '100', 'acceptedAt', String(now)],
    ];
    expect(decodeMessage(unparseable).ok).toBe(false);
    expect(decodeMessage(garbage).ok).toBe(false);
    const poisonIds = [
      (await stack.redisClient.xadd(key, '*', ...unparseable)) as string,
      (await stack.redisClient.xadd(key, '*', ...garbage)) as string,
      (await stack.redisClient.xadd(key, '*', ...orphan)) as string,
    ];

    const after = await place(100, 12);
    const accepted = [...before, ...after];
    const ids = accepted.map((b) => b.receiptId);
    await waitFor(async () => (await settledCount(stack.db, ids)) === ids.length, 120_000, 'the good bids settled');

    const deadKey = deadLetterKey(stack.layout, shard);
    await waitFor(async () => (await stack.redisClient.xlen(deadKey)) === poisonIds.length, 120_000, 'dead letters');
    await waitFor(async () => (await pendingEntries(stack.redisClient, stack.layout)) === 0, 60_000, 'nothing pending');

    // Each poison: in the dead-letter stream once, at its first delivery, its fields verbatim.
    const dead = (await stack.redisClient.xrange(deadKey, '-', '+')) as [string, string[]][];
    const letters = dead.map(([, fields]) => {
      const meta = new Map<string, string>();
      for (let i = 0; i < 8; i += 2) meta.set(fields[i] as string, fields[i + 1] as string);
      return { meta, original: fields.slice(8) };
    });
    expect(letters.map((l) => l.meta.get('originalId')).sort()).toEqual([...poisonIds].sort());
    const byId = new Map(letters.map((l) => [l.meta.get('originalId'), l]));
    for (const [id, fields] of [
      [poisonIds[0], unparseable],
      [poisonIds[1], garbage],
      [poisonIds[2], orphan],
    ] as const) {
      const letter = byId.get(id);
      expect(letter?.meta.get('deliveries')).toBe('1');
      expect(letter?.original).toEqual(fields);
    }
    expect(byId.get(poisonIds[0])?.meta.get('reason')).toMatch(/^undecodable: quantity is not a positive integer/);
    expect(byId.get(poisonIds[1])?.meta.get('reason')).toMatch(/^undecodable: unknown kind/);

    // Stream order: the good bids behind the poison settled after it was given up on, not before.
    // Order is promised within an auction: the poison that names this auction counts here; the one
    // naming no auction and the orphan of another auction may be given up on alongside these bids.
    const ofThisAuction = letters.filter((l) => l.original.includes(auction.id));
    expect(ofThisAuction).toHaveLength(1);
    const deadLetteredAt = Math.max(...ofThisAuction.map((l) => Number(l.meta.get('deadLetteredAt'))));
    const [first] = await stack.db.sql<{ at: number }[]>`
      select (extract(epoch from min(settled_at)) * 1000)::int8 as at from receipts
      where id = any(${after.map((b) => b.receiptId)}::uuid[])`;
    expect(first?.at).toBeGreaterThanOrEqual(deadLetteredAt);
    const [seqs] = await stack.db.sql<{ poison: number; after: number }[]>`
      select (select settle_seq from receipts where id = ${poisonReceipt})::int8 as poison,
             (select min(settle_seq) from receipts where id = any(${after.map((b) => b.receiptId)}::uuid[]))::int8 as after`;
    expect(Number(seqs?.poison)).toBeLessThan(Number(seqs?.after));

    // The receipt the unparseable bid named is final, FAILED, for its buyer to see.
    const receipt = await api(gateway, 'GET', `/receipts/${poisonReceipt}`, { token: buyer.token });
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ id: poisonReceipt, status: 'FAILED', failureReason: 'PROCESSING_FAILED' });
    expect(await stack.redisClient.hexists(pendingReceiptsKey(stack.layout, shard), poisonReceipt)).toBe(0);

    // And the shard goes on.
    const later = await place(50, 13);
    const laterIds = later.map((b) => b.receiptId);
    await waitFor(async () => (await settledCount(stack.db, laterIds)) === laterIds.length, 60_000, 'later bids');

    const checked = await assertInvariants({
      sql: stack.db.sql,
      accepted: [...accepted, ...later],
      auctionIds: [auction.id],
      charged: market.charged,
      initialPoints: market.initialPoints,
      deadLettered: [poisonReceipt],
      redis: { client: stack.redisClient, layout: stack.layout, deadLetters: poisonIds.length },
    });

    reportFigures('poison', {
      maxDeliveries: MAX_DELIVERIES,
      poisonMessages: poisonIds.length,
      deadLettered: letters.length,
      goodBidsBehindPoison: after.length,
      goodBidsSettledAfterDeadLetter: after.length,
      poisonReceiptStatus: `${receipt.body.status}/${receipt.body.failureReason}`,
      settled: checked.settled,
      lost: checked.lost,
      duplicates: checked.duplicates,
    });
  });
});
