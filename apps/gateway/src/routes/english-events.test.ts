import { readSseEvents, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { englishBid, runningEnglish } from './english-fixtures.test-util.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => {})));
});

async function openStream(auctionId: string, token?: string) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const response = await t.gateway.app.request(`/auctions/${auctionId}/events`, { headers });
  expect(response.status).toBe(200);
  const stream = readSseEvents(response);
  open.push(stream);
  await waitFor(async () => stream.events.length > 0, 5_000, 'the snapshot');
  return stream;
}

type Stream = Awaited<ReturnType<typeof openStream>>;
const eventOf = (stream: Stream, name: string) =>
  waitFor(async () => stream.events.find((e) => e.event === name), 5_000, name);

const RESERVE = 987_654;

describe('GET /auctions/:id/events on an English auction', () => {
  it('sends the English snapshot, a bid event per leading bid, and the reserve only to the seller', async () => {
    const { seller, auction } = await runningEnglish(t, { reservePrice: RESERVE });
    const buyer = await t.signUp('buyer', 10_000);
    const streams = {
      seller: await openStream(auction.id, seller.token),
      buyer: await openStream(auction.id, buyer.token),
      anonymous: await openStream(auction.id),
    };
    expect(streams.seller.events[0]).toMatchObject({
      event: 'snapshot',
      data: { format: 'english', status: 'running', highBid: null, minNextBid: 500, reservePrice: RESERVE },
    });
    for (const stream of [streams.buyer, streams.anonymous]) {
      expect(stream.events[0]?.data).toMatchObject({ format: 'english', reserveMet: false, minNextBid: 500 });
      expect(stream.events[0]?.data).not.toHaveProperty('reservePrice');
    }

    expect((await englishBid(t, buyer.token, auction.id, 600)).status).toBe(202);
    await t.settle();
    for (const stream of Object.values(streams)) {
      expect((await eventOf(stream, 'bid')).data).toEqual({
        highBid: 600,
        bidCount: 1,
        minNextBid: 650,
        endsAt: auction.endsAt,
        reserveMet: false,
      });
    }
    expect(streams.anonymous.events.some((e) => e.event === 'extended')).toBe(false);
    for (const stream of [streams.buyer, streams.anonymous]) {
      expect(JSON.stringify(stream.events)).not.toContain(String(RESERVE));
    }
  });

  it('sends extended when a late leading bid moves the end, then closed with the winner', async () => {
    const { auction } = await runningEnglish(t, { extendSeconds: 30 });
    const buyer = await t.signUp('buyer', 10_000);
    const stream = await openStream(auction.id);
    const end = Date.parse(auction.endsAt);
    t.travel(end - 10_000 - t.now());
    const bid = await englishBid(t, buyer.token, auction.id, 500);
    expect(bid.status).toBe(202);
    await t.settle();
    const newEnd = new Date(Date.parse(bid.body.acceptedAt) + 30_000).toISOString();
    expect((await eventOf(stream, 'extended')).data).toEqual({ endsAt: newEnd });
    expect((await eventOf(stream, 'bid')).data).toMatchObject({ highBid: 500, bidCount: 1, endsAt: newEnd });

    t.travel(Date.parse(newEnd) - t.now() + 5_000);
    await t.settle();
    const closed = await eventOf(stream, 'closed');
    expect(closed.data).toEqual({
      status: 'ended',
      closedAt: expect.any(String),
      winnerId: buyer.id,
      finalPrice: 500,
    });
    expect(Date.parse(closed.data.closedAt)).toBeGreaterThanOrEqual(Date.parse(newEnd));
    const view = await t.request('GET', `/auctions/${auction.id}`);
    expect(view.body).toMatchObject({
      status: 'ended',
      endsAt: newEnd,
      closedAt: closed.data.closedAt,
      winnerId: buyer.id,
      finalPrice: 500,
      highBid: 500,
      reserveMet: true,
    });
  });

  it('closes with no winner when the reserve is not met, and says so without the reserve', async () => {
    const { auction } = await runningEnglish(t, { reservePrice: RESERVE });
    const buyer = await t.signUp('buyer', 10_000);
    const stream = await openStream(auction.id);
    expect((await englishBid(t, buyer.token, auction.id, 700)).status).toBe(202);
    await t.settle();
    t.travel(Date.parse(auction.endsAt) - t.now() + 5_000);
    await t.settle();
    expect((await eventOf(stream, 'closed')).data).toEqual({
      status: 'ended',
      closedAt: expect.any(String),
      winnerId: null,
      finalPrice: null,
    });
    expect(JSON.stringify(stream.events)).not.toContain(String(RESERVE));
  });
});

describe('GET /auctions/:id/events on a Dutch auction', () => {
  it('sends closed with the clearing price once a uniform auction sells out', async () => {
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token, { pricing: 'uniform', stock: 2, perBuyerLimit: 2 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const buyer = await t.signUp('buyer', 100_000);
    const stream = await openStream(auction.id);
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
    // The sale and then the close it queues at once (a sell-out closes before the end).
    await waitFor(
      async () => {
        await t.settle();
        return stream.events.some((e) => e.event === 'closed');
      },
      10_000,
      'the close',
    );
    expect((await eventOf(stream, 'closed')).data).toEqual({
      status: 'sold_out',
      closedAt: expect.any(String),
      clearingPrice: 1000,
    });
    const view = await t.request('GET', `/auctions/${auction.id}`);
    expect(view.body).toMatchObject({ format: 'dutch', pricing: 'uniform', clearingPrice: 1000, status: 'sold_out' });
    expect(view.body.closedAt).toEqual(expect.any(String));
  });
});
