import { api } from './market.ts';
import { waitFor } from './wait.ts';

// biome-ignore lint/suspicious/noExplicitAny: the caller asserts on the JSON it reads.
type Json = any;

/** The POST /auctions body of a small auction (3 lamps, one each) that opens at `startsAt`. */
export function lampAuction(startsAt: number) {
  return {
    title: 'Lamp',
    startPrice: 100,
    priceDrop: { kind: 'constant', amount: 10 },
    dropIntervalSeconds: 60,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + 600_000).toISOString(),
    stock: 3,
    perBuyerLimit: 1,
  };
}

/**
 * The smallest real purchase against a running engine, over HTTP only: a seller and a funded
 * buyer sign up, an auction starts half a second later, the buyer bids once, and the receipt is
 * polled until the consumers have settled it. Returns the 202's body and the final receipt.
 */
export async function buyOnceOverHttp(base: string): Promise<{ accepted: Json; settled: { status: string } }> {
  const post = async (path: string, body: unknown, token?: string): Promise<Json> =>
    (await api(base, 'POST', path, { token, body })).body;
  const seller = await post('/members', { name: 'seller' });
  const buyer = await post('/members', { name: 'buyer' });
  await post('/members/me/points', { amount: 1000 }, buyer.token);
  const startsAt = Date.now() + 500;
  const auction = await post('/auctions', lampAuction(startsAt), seller.token);
  if (typeof auction.id !== 'string') throw new Error(`auction not created: ${JSON.stringify(auction)}`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt - Date.now() + 50)));
  const accepted = await post(`/auctions/${auction.id}/bids`, { quantity: 1, maxPrice: 100 }, buyer.token);
  if (accepted.status !== 'PENDING') throw new Error(`bid not accepted: ${JSON.stringify(accepted)}`);
  const settled = await waitFor(
    async () => {
      const receipt = (await api(base, 'GET', `/receipts/${accepted.receiptId}`, { token: buyer.token })).body as {
        status: string;
      };
      return receipt.status === 'PENDING' ? undefined : receipt;
    },
    20_000,
    'settlement by the consumers',
  );
  return { accepted, settled };
}
