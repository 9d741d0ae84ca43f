import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startStack } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, launchBrowser, type TestBrowser, watchErrors } from './browser.ts';
import {
  chargePoints,
  createAuctionThroughForm,
  expectPriceAgreesWithServer,
  shownPrice,
  signUp,
  waitForLowerPrice,
} from './page-actions.ts';

const BUILT_PAGE = fileURLToPath(new URL('../dist/index.html', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

type Stack = Awaited<ReturnType<typeof startStack>>;

describe('the live auction page, in Chromium against a real gateway and consumer', () => {
  let stack: Stack;
  let buyerBrowser: TestBrowser;
  let sellerBrowser: TestBrowser;
  const errors: string[] = [];

  beforeAll(async () => {
    assertChromium();
    if (!existsSync(BUILT_PAGE)) {
      throw new Error('The page is not built: run `npm run build:web` before the browser test.');
    }
    await mkdir(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    const home = await fetch(`${stack.url}/`, { redirect: 'manual' });
    if (home.status !== 200 || !home.headers.get('content-type')?.startsWith('text/html')) {
      throw new Error(`GET / answered ${home.status}, not the live page: mount mountWeb() from @dutch/web`);
    }
    [buyerBrowser, sellerBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
  });

  afterAll(async () => {
    await Promise.all([buyerBrowser?.close(), sellerBrowser?.close()]);
    await stack?.stop();
  });

  it('sell through the form, watch the price fall, buy, see the stock fall elsewhere, refund after the end', async () => {
    const buyer = await buyerBrowser.context.newPage();
    const seller = await sellerBrowser.context.newPage();
    watchErrors(buyer, errors);
    watchErrors(seller, errors);
    const base = stack.url;

    await signUp(buyer, base, 'Bea Buyer');
    await buyer.screenshot({ path: `${SCREENSHOTS}/account-token.png`, fullPage: true });
    await chargePoints(buyer, 10_000);
    await signUp(seller, base, 'Sam Seller');

    const auctionId = await createAuctionThroughForm(seller, base, {
      title: 'Brass desk lamp',
      startPrice: 120,
      dropAmount: 10,
      dropIntervalSeconds: 1,
      startsInMs: 5_000,
      durationSeconds: 12,
      stock: 5,
      perBuyerLimit: 2,
    });
    // The seller stays on the auction page: the second browser, watching the stock.
    await expect.poll(() => seller.getByTestId('stock').getAttribute('data-stock')).toBe('5');

    // The buyer finds the auction in the list and opens it.
    await buyer.goto(`${base}/#/`);
    const card = buyer.locator(`[data-testid="auctions-upcoming"] [data-auction-id="${auctionId}"]`);
    await card.waitFor();
    await buyer.screenshot({ path: `${SCREENSHOTS}/auctions.png`, fullPage: true });
    await card.getByRole('link').click();
    await buyer.getByTestId('auction-title').filter({ hasText: 'Brass desk lamp' }).waitFor();
    await expect.poll(() => buyer.getByTestId('connection').textContent()).toBe('Live updates on');

    // Watch it start and drop twice, computed in the page with the domain on the server's clock.
    const first = await shownPrice(buyer);
    expect(first).toBeGreaterThan(0);
    const second = await waitForLowerPrice(buyer, first);
    const third = await waitForLowerPrice(buyer, second);
    expect(third).toBeLessThan(second);
    await expect.poll(() => buyer.getByTestId('auction-status').textContent()).toBe('Live');
    await expectPriceAgreesWithServer(buyer, auctionId);
    await buyer.screenshot({ path: `${SCREENSHOTS}/auction-live.png`, fullPage: true });

    // Buy two at whatever the price is; the max price field follows the current price.
    await buyer.getByLabel('Quantity', { exact: true }).fill('2');
    await buyer.getByRole('button', { name: 'Buy now' }).click();
    await expect
      .poll(() => buyer.getByTestId('receipt-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('PURCHASED');
    await expect(buyer.getByTestId('receipt-status').textContent()).resolves.toBe('Purchased');

    // The other browser sees the stock fall through its event stream, without a reload.
    await expect.poll(() => seller.getByTestId('stock').getAttribute('data-stock'), { timeout: 10_000 }).toBe('3');
    await expect(seller.getByTestId('stock').textContent()).resolves.toBe('3 of 5 left');

    // The purchase is in the buyer's history; refunds wait for the end.
    const purchase = buyer.getByTestId('purchase').first();
    await expect.poll(() => purchase.getByTestId('purchase-status').getAttribute('data-status')).toBe('PURCHASED');
    const refund = purchase.getByRole('button', { name: 'Refund' });
    expect(await refund.isDisabled()).toBe(true);
    await buyer.screenshot({ path: `${SCREENSHOTS}/auction-purchased.png`, fullPage: true });

    await expect.poll(() => buyer.getByTestId('auction-status').textContent(), { timeout: 15_000 }).toBe('Ended');
    await expect.poll(() => refund.isEnabled()).toBe(true);
    await refund.click();
    await expect
      .poll(() => purchase.getByTestId('purchase-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('REFUNDED');
    await expect(purchase.getByTestId('purchase-status').textContent()).resolves.toBe('Refunded');
    await buyer.screenshot({ path: `${SCREENSHOTS}/auction-refunded.png`, fullPage: true });

    expect(errors).toEqual([]);
  }, 90_000);

  it('fits a 375 px phone screen without sideways scrolling', async () => {
    const page = await buyerBrowser.context.newPage();
    watchErrors(page, errors);
    await page.setViewportSize({ width: 375, height: 812 });
    for (const hash of ['#/', '#/sell', '#/account']) {
      await page.goto(`${stack.url}/${hash}`);
      await page.locator('h1').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${hash} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
    }
    await page.goto(`${stack.url}/#/sell`);
    await page.getByLabel('Title', { exact: true }).fill('Phone-sized preview');
    await page.screenshot({ path: `${SCREENSHOTS}/sell-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
