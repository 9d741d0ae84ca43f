import { saveEnglishLead } from '@dutch/db';
import { shardOf, streamKey } from '@dutch/stream';
import { type Reply, startTestGateway, type TestGateway } from '@dutch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedLead, englishBid, runningEnglish } from './english-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const streamLength = (auctionId: string) => t.redis.xlen(streamKey(t.layout, shardOf(auctionId, t.layout.shards)));
/** Auction rows the gateway's cache has read from Postgres so far. */
const rowReads = () => t.gateway.context.auctions.rowReads;

function expectError(reply: Reply, status: number, code: string) {
  expect([reply.status, reply.body?.error?.code], JSON.stringify(reply.body)).toEqual([status, code]);
}

/** Moves the clock `by` ms past `end`. */
const travelPast = (end: number, by = 1) => t.travel(end - t.now() + by);

/**
 * Reads the auction into the gateway's cache now, 10 s before its end: what the cache then holds
 * was read before the end (it confirms nothing after it), and no background refresh (30 s) falls
 * due within a test, so every read counted is one a bid made.
 */
async function loadBeforeEnd(auction: { id: string; endsAt: string }) {
  travelPast(Date.parse(auction.endsAt), -10_000);
  t.gateway.context.auctions.invalidate(auction.id);
  await t.gateway.context.auctions.get(auction.id);
}

/**
 * Writes a leading bid's lead and extended end into Postgres as a consumer's settlement does,
 * without publishing its `lead` event: the event a consumer loses when it crashes between its
 * commit and the publish.
 */
async function commitLeadSilently(auctionId: string, lead: { highBid: number; leaderId: string; endsAt: number }) {
  const [row] = await t.db.sql<{ settledCount: number }[]>`
    select settled_count as "settledCount" from auctions where id = ${auctionId}`;
  await t.db.sql.begin((tx) =>
    saveEnglishLead(tx, {
      id: auctionId,
      lead: { ...lead, leadingReceiptId: uuidv7(), bidCount: 1 },
      settledCount: row?.settledCount ?? 0,
    }),
  );
}

describe('a soft-close English bid at or after the end this gateway knows', () => {
  it('is refused 409 AUCTION_NOT_RUNNING, queuing nothing, once Postgres agrees the end passed', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const buyer = await t.signUp('buyer', 10_000);
    await loadBeforeEnd(auction);
    const early = await englishBid(t, buyer.token, auction.id, 500, 'before-the-end');
    expect(early.status, JSON.stringify(early.body)).toBe(202);
    travelPast(Date.parse(auction.endsAt));
    const [queued, reads] = [await streamLength(auction.id), rowReads()];

    expectError(await englishBid(t, buyer.token, auction.id, 600), 409, 'AUCTION_NOT_RUNNING');
    expect(rowReads() - reads, 'the end was confirmed from Postgres').toBe(1);
    expect(await streamLength(auction.id)).toBe(queued);
    // A retry of the bid accepted before the end still gets its first answer.
    const replay = await englishBid(t, buyer.token, auction.id, 500, 'before-the-end');
    expect([replay.status, replay.body]).toEqual([202, early.body]);
  });

  it('is admitted 202 by a later end only Postgres has (its event lost); the cache takes that end and lead', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const [leader, buyer] = [await t.signUp('leader', 10_000), await t.signUp('buyer', 10_000)];
    const end = Date.parse(auction.endsAt);
    // A leading bid stamped 10 s before the end moved it to that stamp + 30 s; its event was lost.
    const extended = end - 10_000 + 30_000;
    await loadBeforeEnd(auction);
    await commitLeadSilently(auction.id, { highBid: 600, leaderId: leader.id, endsAt: extended });
    travelPast(end);
    expect((await cachedLead(t, auction.id))?.endsAt, 'the gateway has not heard').toBe(end);

    const reads = rowReads();
    const late = await englishBid(t, buyer.token, auction.id, 650);
    expect(late.status, JSON.stringify(late.body)).toBe(202);
    expect(rowReads() - reads).toBe(1);
    expect(Date.parse(late.body.acceptedAt)).toBeGreaterThan(end);
    expect(await cachedLead(t, auction.id)).toEqual({
      highBid: 600,
      bidCount: 1,
      leaderId: leader.id,
      endsAt: extended,
    });
    // The reloaded high bid is the one admission now goes by.
    expectError(await englishBid(t, buyer.token, auction.id, 600), 409, 'BID_TOO_LOW');
    // Past the later end, Postgres agrees again: refused.
    travelPast(extended);
    expectError(await englishBid(t, buyer.token, auction.id, 700), 409, 'AUCTION_NOT_RUNNING');
  });

  it('costs no read of Postgres before the cached end', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const buyer = await t.signUp('buyer', 10_000);
    await loadBeforeEnd(auction);
    const reads = rowReads();
    travelPast(Date.parse(auction.endsAt), -500);
    expect((await englishBid(t, buyer.token, auction.id, 500)).status).toBe(202);
    expect(rowReads()).toBe(reads);
  });
});

describe('an English bid after the end without a soft close (extendSeconds 0)', () => {
  it('is refused 409 AUCTION_NOT_RUNNING at once, by the cached end alone: no read, nothing queued', async () => {
    const { auction } = await runningEnglish(t);
    expect(auction.extendSeconds).toBe(0);
    const buyer = await t.signUp('buyer', 10_000);
    await loadBeforeEnd(auction);
    expect((await englishBid(t, buyer.token, auction.id, 500)).status).toBe(202);
    travelPast(Date.parse(auction.endsAt));
    // Without a soft close the end cannot move: nothing to look for in Postgres.
    const [queued, reads] = [await streamLength(auction.id), rowReads()];
    expectError(await englishBid(t, buyer.token, auction.id, 600), 409, 'AUCTION_NOT_RUNNING');
    expect(rowReads()).toBe(reads);
    expect(await streamLength(auction.id)).toBe(queued);
  });
});

// Last in this file: freeze() stops the gateway's clock for good.
describe('a burst of late bids', () => {
  it('shares one read of the row while it lasts under 250 ms (50 bids, all refused); then one more', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const snipers = await Promise.all(Array.from({ length: 50 }, (_, i) => t.signUp(`sniper ${i}`, 10_000)));
    await loadBeforeEnd(auction);
    travelPast(Date.parse(auction.endsAt));
    // On a frozen clock the whole burst lands within one spacing of reads, however slow the machine.
    t.freeze();
    const [queued, reads] = [await streamLength(auction.id), rowReads()];

    const answers = await Promise.all(snipers.map((s, i) => englishBid(t, s.token, auction.id, 600 + i)));
    for (const answer of answers) expectError(answer, 409, 'AUCTION_NOT_RUNNING');
    expect(rowReads() - reads, 'reads for 50 late bids').toBe(1);
    expect(await streamLength(auction.id)).toBe(queued);

    // A read confirms the end for 250 ms; after that the next late bid reads again, once.
    t.travel(250);
    const again = await Promise.all(snipers.slice(0, 10).map((s) => englishBid(t, s.token, auction.id, 700)));
    for (const answer of again) expectError(answer, 409, 'AUCTION_NOT_RUNNING');
    expect(rowReads() - reads, 'reads after the spacing').toBe(2);
  });
});
