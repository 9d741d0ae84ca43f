import { startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const bid = (token: string, auctionId: string, quantity: number) =>
  t.request('POST', `/auctions/${auctionId}/bids`, { token, body: { quantity, maxPrice: 1000 } });
const receipt = (token: string, id: string) => t.request('GET', `/receipts/${id}`, { token });

describe('receipts of a uniform Dutch auction', () => {
  it('show unitPrice as paid until the close, then the clearing price and the rebate; a refund returns the final price', async () => {
    const seller = await t.signUp('seller');
    const auction = await t.createAuction(seller.token, { pricing: 'uniform', stock: 10, perBuyerLimit: 5 });
    t.travel(Date.parse(auction.startsAt) - t.now() + 1);
    const early = await t.signUp('early', 10_000);
    const late = await t.signUp('late', 10_000);
    const first = await bid(early.token, auction.id, 2);
    t.travel(60_000);
    const second = await bid(late.token, auction.id, 1);
    expect([first.body.unitPrice, second.body.unitPrice]).toEqual([1000, 900]);
    await t.settle();

    const before = await receipt(early.token, first.body.receiptId);
    expect(before.body).toMatchObject({
      format: 'dutch',
      status: 'PURCHASED',
      unitPrice: 1000,
      total: 2000,
      finalUnitPrice: 1000,
      rebate: 0,
    });
    expect((await t.request('GET', `/auctions/${auction.id}`)).body).toMatchObject({
      pricing: 'uniform',
      clearingPrice: null,
      closedAt: null,
    });

    t.travel(Date.parse(auction.endsAt) - t.now() + 5_000);
    await waitFor(
      async () => {
        await t.settle();
        return (await t.request('GET', `/auctions/${auction.id}`)).body.closedAt !== null;
      },
      10_000,
      'the close',
    );
    expect((await t.request('GET', `/auctions/${auction.id}`)).body).toMatchObject({
      status: 'ended',
      clearingPrice: 900,
    });
    const after = await receipt(early.token, first.body.receiptId);
    expect(after.body).toMatchObject({ unitPrice: 1000, total: 2000, finalUnitPrice: 900, rebate: 200 });
    expect((await receipt(late.token, second.body.receiptId)).body).toMatchObject({ finalUnitPrice: 900, rebate: 0 });
    expect((await t.request('GET', '/members/me', { token: early.token })).body.points).toBe(10_000 - 1800);
    const listed = await t.request('GET', '/members/me/purchases', { token: early.token });
    expect(listed.body.items[0]).toMatchObject({ id: first.body.receiptId, finalUnitPrice: 900, rebate: 200 });

    const refund = await t.request('POST', `/receipts/${first.body.receiptId}/refund`, { token: early.token });
    expect(refund.status).toBe(202);
    await waitFor(
      async () => {
        await t.settle();
        return (await receipt(early.token, first.body.receiptId)).body.status === 'REFUNDED';
      },
      10_000,
      'the refund',
    );
    expect((await t.request('GET', '/members/me', { token: early.token })).body.points).toBe(10_000);
    expect((await t.request('GET', '/members/me', { token: seller.token })).body).toMatchObject({
      points: 900,
      heldPoints: 0,
    });
  });
});
