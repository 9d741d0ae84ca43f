import { type Stack, startStack, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.stop();
});

async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test asserts on the JSON it reads.
  const json: any = response.status === 204 ? null : await response.json();
  return { status: response.status, body: json };
}

async function untilStatus(token: string, receiptId: string, status: string) {
  return waitFor(
    async () => {
      const receipt = await call('GET', `/receipts/${receiptId}`, token);
      return receipt.body.status === status ? receipt.body : undefined;
    },
    15_000,
    `receipt ${receiptId} ${status}`,
  );
}

const balances = async (token: string) => {
  const { points, heldPoints } = (await call('GET', '/members/me', token)).body;
  return { points, heldPoints };
};

describe('an English auction end to end, over a real socket and a consumer closing it on its own', () => {
  it('bid, outbid, too low, close, WON, refund, balances', async () => {
    const signUp = async (name: string, points: number) => {
      const member = (await call('POST', '/members', undefined, { name })).body;
      if (points > 0) await call('POST', '/members/me/points', member.token, { amount: points });
      return member;
    };
    const [seller, alice, bob] = [await signUp('Seller', 0), await signUp('Alice', 1_000), await signUp('Bob', 1_000)];
    const startsAt = Date.now() + 1_000;
    const created = await call('POST', '/auctions', seller.token, {
      format: 'english',
      title: 'First pressing',
      startPrice: 500,
      minIncrement: 50,
      reservePrice: 550,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 4_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const view = async () => (await call('GET', `/auctions/${id}`)).body;
    await waitFor(async () => (await view()).status === 'running', 5_000, 'the start');

    const aliceBid = await call('POST', `/auctions/${id}/bids`, alice.token, { amount: 500 });
    expect(aliceBid.status).toBe(202);
    await untilStatus(alice.token, aliceBid.body.receiptId, 'LEADING');
    expect(await balances(alice.token)).toEqual({ points: 500, heldPoints: 500 });
    expect(await view()).toMatchObject({ highBid: 500, bidCount: 1, minNextBid: 550, reserveMet: false });

    const bobBid = await call('POST', `/auctions/${id}/bids`, bob.token, { amount: 600 });
    expect(bobBid.status).toBe(202);
    await untilStatus(bob.token, bobBid.body.receiptId, 'LEADING');
    await untilStatus(alice.token, aliceBid.body.receiptId, 'OUTBID');
    expect(await balances(alice.token)).toEqual({ points: 1_000, heldPoints: 0 });
    expect(await balances(bob.token)).toEqual({ points: 400, heldPoints: 600 });
    expect(await view()).toMatchObject({ highBid: 600, bidCount: 2, minNextBid: 650, reserveMet: true });
    // The gateway has heard of Bob's lead: Alice's 620 is certainly too low.
    await waitFor(
      async () => (await call('POST', `/auctions/${id}/bids`, alice.token, { amount: 620 })).status === 409,
      5_000,
      'the lead at the gateway',
    );
    const tooLow = await call('POST', `/auctions/${id}/bids`, alice.token, { amount: 620 });
    expect([tooLow.status, tooLow.body.error.code]).toEqual([409, 'BID_TOO_LOW']);

    // Nobody watches: the consumer closes it at its end (plus the grace) on its own.
    await waitFor(async () => (await view()).closedAt !== null, 15_000, 'the close');
    expect(await view()).toMatchObject({ status: 'ended', winnerId: bob.id, finalPrice: 600, reserveMet: true });
    const won = await untilStatus(bob.token, bobBid.body.receiptId, 'WON');
    expect(won).toMatchObject({ format: 'english', amount: 600 });
    expect(await balances(bob.token)).toEqual({ points: 400, heldPoints: 0 });
    expect(await balances(seller.token)).toEqual({ points: 600, heldPoints: 0 });
    const late = await call('POST', `/auctions/${id}/bids`, alice.token, { amount: 700 });
    expect([late.status, late.body.error.code]).toEqual([409, 'AUCTION_NOT_RUNNING']);

    const outbid = await call('POST', `/receipts/${aliceBid.body.receiptId}/refund`, alice.token);
    expect([outbid.status, outbid.body.error.code]).toEqual([409, 'NOT_REFUNDABLE']);
    const refund = await call('POST', `/receipts/${bobBid.body.receiptId}/refund`, bob.token);
    expect(refund).toEqual({ status: 202, body: { receiptId: bobBid.body.receiptId, status: 'REFUND_PENDING' } });
    const refunded = await untilStatus(bob.token, bobBid.body.receiptId, 'REFUNDED');
    expect(refunded.refundedAt).toEqual(expect.any(String));
    expect(await balances(bob.token)).toEqual({ points: 1_000, heldPoints: 0 });
    expect(await balances(seller.token)).toEqual({ points: 0, heldPoints: 0 });

    const sales = (await call('GET', '/members/me/sales', seller.token)).body.items;
    expect(sales.map((r: { id: string; status: string }) => [r.id, r.status]).sort()).toEqual(
      [
        [aliceBid.body.receiptId, 'OUTBID'],
        [bobBid.body.receiptId, 'REFUNDED'],
      ].sort(),
    );
    expect(await stack.audit()).toEqual([]);
  }, 40_000);
});
