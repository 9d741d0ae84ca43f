import { api } from '@dutch/testkit';
import type { Page } from 'playwright-core';
import { localDateTime, submitAuctionForm } from './page-actions.ts';

/** Version 2 actions: English auctions through the form and the page, and a second bidder through the API. */

export interface EnglishInput {
  readonly title: string;
  readonly startPrice: number;
  readonly minIncrement: number;
  readonly reservePrice: number;
  readonly extendSeconds: number;
  readonly startsInMs: number;
  readonly durationSeconds: number;
}

/** Fills the Sell form as English, waits for the increments preview, submits; returns the new auction's id. */
export async function createEnglishAuctionThroughForm(page: Page, base: string, input: EnglishInput): Promise<string> {
  await page.goto(`${base}/#/sell`);
  await page.getByLabel('English: bidders raise the price; the highest bid wins', { exact: true }).check();
  await page.getByLabel('Title', { exact: true }).fill(input.title);
  await page.getByLabel('Start price (points)', { exact: true }).fill(String(input.startPrice));
  await page.getByLabel('Minimum raise (points)', { exact: true }).fill(String(input.minIncrement));
  await page.getByLabel('Reserve price (points, optional)', { exact: true }).fill(String(input.reservePrice));
  await page.getByLabel('Extend on late bids (seconds)', { exact: true }).fill(String(input.extendSeconds));
  await page.getByLabel('After a duration', { exact: true }).check();
  await page.getByLabel('Duration (seconds)', { exact: true }).fill(String(input.durationSeconds));
  await page.getByLabel('Starts at', { exact: true }).fill(await localDateTime(page, input.startsInMs));
  // The preview lists the first bids' minimums: the start price, then one raise each.
  const second = input.startPrice + input.minIncrement;
  await page
    .getByTestId('preview-minimums')
    .filter({ hasText: `Second bid: at least ${second} points` })
    .waitFor();
  return submitAuctionForm(page);
}

/** The viewer's outcome as the English page says it: leading, outbid, won, ... */
export function outcomeOf(page: Page): Promise<string | null> {
  return page.getByTestId('viewer-outcome').getAttribute('data-outcome');
}

/** The current end the page counts down to, in epoch ms. */
export async function shownEnd(page: Page): Promise<number> {
  return Date.parse((await page.getByTestId('countdown').getAttribute('data-ends-at')) ?? '');
}

/** Places a bid at whatever the bid box holds (the minimum next bid unless typed) and waits for it to settle. */
export async function placeBidOnPage(page: Page, expected: number): Promise<void> {
  await page.locator(`[data-testid="min-next-bid"][data-min-next-bid="${expected}"]`).waitFor();
  const amount = page.getByLabel('Your bid (points)', { exact: true });
  if ((await amount.inputValue()) !== String(expected))
    throw new Error(`the bid box holds ${await amount.inputValue()}`);
  await page.getByRole('button', { name: 'Place bid' }).click();
  // The card of this bid (a previous bid's card reads LEADING too until it is replaced).
  const card = page
    .getByTestId('receipt')
    .filter({ has: page.getByTestId('receipt-amount').filter({ hasText: `${expected} points` }) });
  await card.locator('[data-testid="receipt-status"][data-status="LEADING"]').waitFor({ timeout: 10_000 });
}

/** A member made through the API, with points. */
export async function memberViaApi(base: string, name: string, points: number): Promise<{ id: string; token: string }> {
  const created = await api(base, 'POST', '/members', { body: { name } });
  if (created.status !== 201) throw new Error(`sign-up: ${JSON.stringify(created.body)}`);
  const charged = await api(base, 'POST', '/members/me/points', {
    token: created.body.token,
    body: { amount: points },
  });
  if (charged.status !== 200) throw new Error(`charge: ${JSON.stringify(charged.body)}`);
  return { id: created.body.id, token: created.body.token };
}

/** Bids through the API and waits until the receipt is settled; returns it. */
export async function bidViaApi(
  base: string,
  token: string,
  auctionId: string,
  body: { amount: number } | { quantity: number; maxPrice: number },
): Promise<{ id: string; status: string; unitPrice?: number; amount?: number }> {
  const placed = await api(base, 'POST', `/auctions/${auctionId}/bids`, { token, body });
  if (placed.status !== 202) throw new Error(`bid: ${placed.status} ${JSON.stringify(placed.body)}`);
  for (let i = 0; i < 100; i++) {
    const receipt = await api(base, 'GET', `/receipts/${placed.body.receiptId}`, { token });
    if (receipt.status === 200 && receipt.body.status !== 'PENDING') return receipt.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`receipt ${placed.body.receiptId} never settled`);
}
