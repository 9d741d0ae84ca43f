import { readSseEvents as readEvents, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

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

async function openStream(auctionId: string, headers: Record<string, string> = {}) {
  const response = await t.gateway.app.request(`/auctions/${auctionId}/events`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const stream = readEvents(response);
  open.push(stream);
  return stream;
}

describe('GET /auctions/:id/events', () => {
  it('sends a snapshot, then status and price at each drop, stock after settlement, and heartbeats', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const startsAt = Date.now() + 1_200;
    const auction = await t.createAuction(seller.token, {
      startPrice: 500,
      priceDrop: { kind: 'constant', amount: 100 },
      dropIntervalSeconds: 1,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 3_000).toISOString(),
      stock: 5,
      perBuyerLimit: 5,
    });
    const stream = await openStream(auction.id);
    await waitFor(async () => stream.events.length > 0, 5_000, 'the snapshot');
    expect(stream.events[0]).toMatchObject({
      event: 'snapshot',
      data: { id: auction.id, status: 'scheduled', currentPrice: 500, stock: 5 },
    });

    await waitFor(
      async () => stream.events.some((e) => e.event === 'status' && e.data.status === 'running'),
      5_000,
      'running',
    );
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 500 },
    });
    expect(bid.status).toBe(202);
    await t.settle();
    await waitFor(async () => stream.events.some((e) => e.event === 'stock'), 5_000, 'a stock event');
    expect(stream.events.find((e) => e.event === 'stock')?.data).toEqual({ stock: 3, soldCount: 2 });

    await waitFor(
      async () => stream.events.some((e) => e.event === 'status' && e.data.status === 'ended'),
      6_000,
      'ended',
    );
    // Three one-second steps: 500 from the start, then 400, then 300 for the last second.
    const prices = stream.events.filter((e) => e.event === 'price').map((e) => e.data.currentPrice);
    expect(prices).toEqual([400, 300]);
    expect(stream.events.filter((e) => e.event === 'price').at(-1)?.data).toEqual({
      currentPrice: 300,
      nextPrice: null,
      nextDropAt: null,
    });
    expect(stream.comments.some((c) => c.startsWith(': heartbeat'))).toBe(true);
    const ids = stream.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    await stream.close();
  });

  it('leaves stock events out when showStock is false, and sends sold_out when stock runs out', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const auction = await t.createAuction(seller.token, { stock: 2, perBuyerLimit: 2, showStock: false });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const stream = await openStream(auction.id);
    await waitFor(async () => stream.events.length > 0, 5_000, 'the snapshot');
    expect(stream.events[0]?.data.stock).toBeUndefined();
    await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1000 },
    });
    await t.settle();
    await waitFor(async () => stream.events.some((e) => e.event === 'status'), 5_000, 'the status event');
    expect(stream.events.filter((e) => e.event === 'status').map((e) => e.data.status)).toEqual(['sold_out']);
    expect(stream.events.some((e) => e.event === 'stock')).toBe(false);
    await stream.close();
  });

  it('gives a reconnecting client (Last-Event-ID) a fresh snapshot', async () => {
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token);
    const first = await openStream(auction.id);
    await waitFor(async () => first.events.length > 0, 5_000, 'the snapshot');
    await first.close();
    const again = await openStream(auction.id, { 'last-event-id': first.events[0]?.id ?? '' });
    await waitFor(async () => again.events.length > 0, 5_000, 'the snapshot');
    expect(again.events[0]?.event).toBe('snapshot');
    expect(again.events[0]?.id).not.toBe(first.events[0]?.id);
    await again.close();
  });

  it('sends a fresh snapshot when the seller edits the auction', async () => {
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token);
    const stream = await openStream(auction.id);
    await waitFor(async () => stream.events.length > 0, 5_000, 'the snapshot');
    await t.request('PATCH', `/auctions/${auction.id}`, { token: seller.token, body: { title: 'Renamed' } });
    await waitFor(
      async () => stream.events.filter((e) => e.event === 'snapshot').length === 2,
      5_000,
      'a second snapshot',
    );
    expect(stream.events.at(-1)?.data.title).toBe('Renamed');
    await stream.close();
  });

  it('answers 404 for an unknown auction', async () => {
    const reply = await t.request('GET', '/auctions/01900000-0000-7000-8000-000000000000/events');
    expect([reply.status, reply.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('forgets a client that disconnects: no subscription, feed, timer or connection left behind', async () => {
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token);
    const [viewersBefore, feedsBefore, connectionsBefore] = [
      await gauge('dutch_sse_viewers'),
      await gauge('dutch_live_feeds'),
      t.gateway.connections.size,
    ];
    const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(auction.id)));
    await waitFor(async () => (await gauge('dutch_sse_viewers')) === viewersBefore + 5, 5_000, 'five viewers');
    expect(t.gateway.connections.size).toBe(connectionsBefore + 5);
    expect(await gauge('dutch_live_feeds')).toBe(feedsBefore + 1);
    await Promise.all(streams.map((s) => s.close()));
    await waitFor(async () => (await gauge('dutch_sse_viewers')) === viewersBefore, 5_000, 'every viewer gone');
    expect(await gauge('dutch_sse_viewers')).toBe(viewersBefore);
    expect(await gauge('dutch_live_feeds')).toBe(feedsBefore);
    expect(t.gateway.connections.size).toBe(connectionsBefore);
  });
});

/** A gauge of this gateway as an operator reads it, on /metrics. */
async function gauge(name: string): Promise<number> {
  const reply = await t.request('GET', '/metrics');
  const line = String(reply.body)
    .split('\n')
    .find((sample) => sample.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}
