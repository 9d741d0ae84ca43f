import type { TestGateway } from '@dutch/testkit';
import type { CachedLead } from '../cache/auction-cache.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** An English create body starting `lead` ms from the gateway's now: from 500 by 50, ten minutes long. */
export function englishBody(t: TestGateway, overrides: Record<string, unknown> = {}, lead = 60_000) {
  const startsAt = t.now() + lead;
  return {
    format: 'english',
    title: 'Signed guitar',
    startPrice: 500,
    minIncrement: 50,
    startsAt: iso(startsAt),
    endsAt: iso(startsAt + 600_000),
    ...overrides,
  };
}

/** A seller and an English auction that started a moment ago (the gateway's clock moved to it). */
export async function runningEnglish(t: TestGateway, overrides: Record<string, unknown> = {}) {
  const seller = await t.signUp('seller');
  const created = await t.request('POST', '/auctions', { token: seller.token, body: englishBody(t, overrides) });
  if (created.status !== 201) throw new Error(`auction not created: ${JSON.stringify(created.body)}`);
  const auction = created.body;
  t.travel(Date.parse(auction.startsAt) - t.now() + 1);
  return { seller, auction };
}

/** The lead this gateway's cache holds for an English auction, or undefined. */
export async function cachedLead(t: TestGateway, auctionId: string): Promise<CachedLead | undefined> {
  const entry = await t.gateway.context.auctions.get(auctionId);
  return entry?.format === 'english' ? entry.lead : undefined;
}

export const englishBid = (t: TestGateway, token: string, auctionId: string, amount: number, key?: string) =>
  t.request('POST', `/auctions/${auctionId}/bids`, {
    token,
    body: { amount },
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
