import { readSseEvents, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Notifications end to end: the consumer stores them in the transactions that decide them (and
 * its scheduler the watch alerts), nudges the gateway after the commit, and each member's own
 * stream carries exactly theirs, once, as the inbox lists them.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

type Stream = ReturnType<typeof readSseEvents>;

async function follow(token: string): Promise<Stream> {
  const response = await t.gateway.app.request('/members/me/events', { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const stream = readSseEvents(response);
  await waitFor(async () => stream.comments.includes(': connected'), 5_000, 'the stream to follow the inbox');
  return stream;
}

const kinds = (stream: Stream) =>
  stream.events.map((e) => `${e.data.kind}${e.data.data.status ? `:${e.data.data.status}` : ''}`);

describe('notifications through a real settlement and close', () => {
  it('reach the buyer, the watcher and the seller live, each once, as their inboxes list them', async () => {
    const seller = await t.signUp('seller');
    const buyer = await t.signUp('buyer', 100_000);
    const watcher = await t.signUp('watcher');
    const auction = await t.createAuction(seller.token, { title: 'Brass lamp', stock: 5, perBuyerLimit: 5 });
    expect(
      (await t.request('PUT', `/auctions/${auction.id}/watch`, { token: watcher.token, body: { alertPrice: 900 } }))
        .status,
    ).toBe(200);
    const [sellerStream, buyerStream, watcherStream] = await Promise.all([
      follow(seller.token),
      follow(buyer.token),
      follow(watcher.token),
    ]);

    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    await t.settle();
    await waitFor(async () => watcherStream.events.length === 1, 5_000, 'auction_starting');
    const bid = await t.request('POST', `/auctions/${auction.id}/bids`, {
      token: buyer.token,
      body: { quantity: 2, maxPrice: 1000 },
    });
    expect(bid.status).toBe(202);
    await t.settle();
    await waitFor(async () => buyerStream.events.length === 1, 5_000, 'the receipt notification');
    expect(buyerStream.events[0]?.data).toMatchObject({
      kind: 'receipt',
      auctionId: auction.id,
      receiptId: bid.body.receiptId,
      data: { status: 'PURCHASED', title: 'Brass lamp' },
      readAt: null,
    });
    expect(buyerStream.events[0]?.data.message).toContain('Brass lamp');

    t.travel(60_000);
    await t.settle();
    await waitFor(async () => watcherStream.events.length === 2, 5_000, 'the price alert');
    t.travel(Date.parse(auction.endsAt) - t.now() + 5_000);
    await waitFor(
      async () => {
        await t.settle();
        return sellerStream.events.length > 0;
      },
      10_000,
      'the close',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.settle();

    expect(kinds(watcherStream)).toEqual(['auction_starting', 'price_alert']);
    expect(kinds(buyerStream)).toEqual(['receipt:PURCHASED']);
    expect(kinds(sellerStream)).toEqual(['sold']);
    expect(sellerStream.events[0]?.data.data).toMatchObject({ unitsSold: 2 });
    for (const [member, stream] of [
      [seller, sellerStream],
      [buyer, buyerStream],
      [watcher, watcherStream],
    ] as const) {
      const inbox = await t.request('GET', '/members/me/notifications', { token: member.token });
      expect(inbox.body.items).toEqual(stream.events.map((e) => e.data).reverse());
      expect(inbox.body.unreadCount).toBe(stream.events.length);
      expect(stream.events.map((e) => e.id)).toEqual(stream.events.map((e) => e.data.id));
    }
    await Promise.all([sellerStream, buyerStream, watcherStream].map((s) => s.close()));
  });
});
