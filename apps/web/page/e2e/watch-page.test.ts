import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { api, startStack } from '@dutch/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, launchBrowser, type TestBrowser, watchErrors } from './browser.ts';
import { type DropProxy, startDropProxy } from './drop-proxy.ts';
import { bidViaApi, memberViaApi } from './format-actions.ts';
import { chargePoints, signUp } from './page-actions.ts';

const BUILT_PAGE = fileURLToPath(new URL('../dist/index.html', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

type Stack = Awaited<ReturnType<typeof startStack>>;

/** The unread count the bell shows. */
function bellCount(page: Page): Promise<string | null> {
  return page.getByTestId('bell-count').getAttribute('data-count');
}

/** A Dutch auction by the seller, through the API: 300 points, 10 less every second for 30 s. */
async function createDutchViaApi(base: string, token: string, title: string, startsInMs: number): Promise<string> {
  const startsAt = Math.ceil((Date.now() + startsInMs) / 1_000) * 1_000;
  const created = await api(base, 'POST', '/auctions', {
    token,
    body: {
      title,
      startPrice: 300,
      priceDrop: { kind: 'constant', amount: 10 },
      dropIntervalSeconds: 1,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 30_000).toISOString(),
      stock: 5,
      perBuyerLimit: 2,
    },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Issue 13 on the live page: watch with an alert price, hear it live, read it; buy and see where you stand. */
describe('watching, notifications and the first-come board, in Chromium against a real gateway and consumer', () => {
  let stack: Stack;
  let buyerBrowser: TestBrowser;
  let proxy: DropProxy;
  const errors: string[] = [];

  beforeAll(async () => {
    assertChromium();
    if (!existsSync(BUILT_PAGE)) throw new Error('The page is not built: run `npm run build:web` first.');
    await mkdir(SCREENSHOTS, { recursive: true });
    // Real time: the consumer's scheduler stores the alerts by the clock.
    stack = await startStack();
    // The browser reaches the gateway through a proxy that can drop its connections.
    proxy = await startDropProxy(stack.url);
    buyerBrowser = await launchBrowser();
  });

  afterAll(async () => {
    await buyerBrowser?.close();
    await proxy?.close();
    await stack?.stop();
  });

  it('a price alert rings the bell live, is read and marked read; the purchase shows its place in line and on the board', async () => {
    const base = proxy.url;
    const buyer = await buyerBrowser.context.newPage();
    watchErrors(buyer, errors);
    const buyerToken = await signUp(buyer, base, 'Bea Buyer');
    await chargePoints(buyer, 10_000);
    const seller = await memberViaApi(base, 'Sam Seller', 1);
    const rival = await memberViaApi(base, 'Rita Rival', 10_000);
    const auctionId = await createDutchViaApi(base, seller.token, 'Brass desk lamp', 6_000);

    // The buyer opens the auction before it starts and watches it with an alert price of 250.
    await buyer.goto(`${base}/#/auctions/${auctionId}`);
    await buyer.getByTestId('auction-title').filter({ hasText: 'Brass desk lamp' }).waitFor();
    expect(await buyer.getByTestId('uniform-badge').isVisible()).toBe(false);
    await expect.poll(() => bellCount(buyer)).toBe('0');
    await buyer.evaluate(() => Object.assign(window, { sameDocument: true }));
    await buyer.getByLabel('Alert me at this price or below (points)', { exact: true }).fill('250');
    await buyer.getByRole('button', { name: 'Watch' }).click();
    await buyer.locator('[data-testid="watch-status"][data-watching="true"]').waitFor();
    await expect(buyer.getByTestId('watch-status').textContent()).resolves.toContain('reaches 250 points');
    await expect(buyer.getByTestId('board-empty').isVisible()).resolves.toBe(true);

    // It starts (auction_starting), and 5 s later the price is 250 (price_alert): the bell counts both, live.
    await expect.poll(() => bellCount(buyer), { timeout: 20_000 }).toBe('2');
    expect(await buyer.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await buyer.getByTestId('bell').getAttribute('aria-label')).toBe('Notifications, 2 unread');

    // The list shows them, newest first; marking read clears the count.
    await buyer.getByTestId('bell').click();
    const items = buyer.getByTestId('notification');
    await expect
      .poll(() =>
        items.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-kind'), r.getAttribute('data-unread')])),
      )
      .toEqual([
        ['price_alert', 'true'],
        ['auction_starting', 'true'],
      ]);
    await expect(items.first().textContent()).resolves.toContain('Brass desk lamp is at 250');
    await buyer.screenshot({ path: `${SCREENSHOTS}/notifications.png`, fullPage: true });
    await buyer.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => bellCount(buyer)).toBe('0');
    await expect
      .poll(() => items.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unread'))))
      .toEqual(['false', 'false']);
    await buyer.keyboard.press('Escape');

    // A rival buys first through the API, then the buyer on the page: second in line.
    expect((await bidViaApi(base, rival.token, auctionId, { quantity: 1, maxPrice: 1_000 })).status).toBe('PURCHASED');
    await buyer.getByRole('button', { name: 'Buy now' }).click();
    await buyer.locator('[data-testid="receipt-status"][data-status="PURCHASED"]').waitFor({ timeout: 10_000 });
    const place = buyer.getByTestId('receipt-position');
    await expect.poll(() => place.getAttribute('data-position')).toBe('2');
    await expect(place.textContent()).resolves.toBe('#2 in line');
    await expect(buyer.getByTestId('receipt-accepted-at').textContent()).resolves.toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);

    // The board: the rival's row and the buyer's, masked, the buyer's marked as theirs.
    const rows = buyer.getByTestId('board-row');
    await expect
      .poll(() =>
        rows.evaluateAll((all) => all.map((r) => [r.getAttribute('data-position'), r.getAttribute('data-mine')])),
      )
      .toEqual([
        ['1', 'false'],
        ['2', 'true'],
      ]);
    await expect(rows.nth(0).textContent()).resolves.toContain('R***l');
    await expect(rows.nth(1).textContent()).resolves.toContain('B***r (you)');
    // The purchase itself is a notification too, and rings the bell again.
    await expect.poll(() => bellCount(buyer), { timeout: 10_000 }).toBe('1');
    await buyer.screenshot({ path: `${SCREENSHOTS}/board-and-receipt.png`, fullPage: true });

    // The connection drops while a second purchase is stored; the member stream reconnects on its
    // own with Last-Event-ID and gets exactly that one, without a reload.
    const bellWrap = buyer.locator('.bell-wrap');
    const errorsBefore = errors.length;
    proxy.dropAll();
    await expect.poll(() => bellWrap.getAttribute('data-connection'), { timeout: 10_000 }).toBe('reconnecting');
    expect((await bidViaApi(stack.url, buyerToken, auctionId, { quantity: 1, maxPrice: 1_000 })).status).toBe(
      'PURCHASED',
    );
    await expect.poll(() => bellWrap.getAttribute('data-connection'), { timeout: 15_000 }).toBe('live');
    // The cut connections are logged as failed loads: expected here, and only here.
    const duringDrop = errors.splice(errorsBefore);
    errors.push(...duringDrop.filter((error) => !error.includes('net::ERR_')));
    await expect.poll(() => bellCount(buyer), { timeout: 10_000 }).toBe('2');
    await buyer.getByTestId('bell').click();
    await expect
      .poll(() =>
        items.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-kind'), r.getAttribute('data-unread')])),
      )
      .toEqual([
        ['receipt', 'true'],
        ['receipt', 'true'],
        ['price_alert', 'false'],
        ['auction_starting', 'false'],
      ]);
    expect(await buyer.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);

    // The account page lists the watch with its alert price; stopping there empties the list.
    await buyer.goto(`${base}/#/account`);
    const watch = buyer.locator(`[data-testid="watch"][data-auction-id="${auctionId}"]`);
    await expect.poll(() => watch.getByTestId('watch-summary').textContent()).toContain('alert at 250 points');
    await watch.getByRole('button', { name: 'Stop watching Brass desk lamp' }).click();
    await expect.poll(() => buyer.getByTestId('watch').count()).toBe(0);
    expect(await stack.audit()).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);
});
