import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { api, startStack } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, launchBrowser, type TestBrowser, watchErrors } from './browser.ts';
import {
  bidViaApi,
  createEnglishAuctionThroughForm,
  memberViaApi,
  outcomeOf,
  placeBidOnPage,
  shownEnd,
} from './format-actions.ts';
import { chargePoints, createAuctionThroughForm, signUp } from './page-actions.ts';

const BUILT_PAGE = fileURLToPath(new URL('../dist/index.html', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

type Stack = Awaited<ReturnType<typeof startStack>>;

/** Version 2 on the live page: an English auction from the form to the winner, and a uniform Dutch close. */
describe('English and uniform auctions on the live page, in Chromium against a real gateway and consumer', () => {
  let stack: Stack;
  let buyerBrowser: TestBrowser;
  let sellerBrowser: TestBrowser;
  let buyerToken: string;
  let englishId: string | null = null;
  const errors: string[] = [];

  beforeAll(async () => {
    assertChromium();
    if (!existsSync(BUILT_PAGE)) throw new Error('The page is not built: run `npm run build:web` first.');
    await mkdir(SCREENSHOTS, { recursive: true });
    // Real time: the page counts down on the server's clock, and the consumer closes CLOSE_GRACE_MS (2 s) after each end.
    stack = await startStack();
    [buyerBrowser, sellerBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    const buyer = await buyerBrowser.context.newPage();
    watchErrors(buyer, errors);
    buyerToken = await signUp(buyer, stack.url, 'Bea Bidder');
    await chargePoints(buyer, 1_000);
    const seller = await sellerBrowser.context.newPage();
    watchErrors(seller, errors);
    await signUp(seller, stack.url, 'Sam Seller');
  });

  afterAll(async () => {
    await Promise.all([buyerBrowser?.close(), sellerBrowser?.close()]);
    await stack?.stop();
  });

  it('English: created through the form, outbid then leading, the end extends, the winner and the seller see the sale', async () => {
    const [buyer] = buyerBrowser.context.pages();
    const [seller] = sellerBrowser.context.pages();
    if (buyer === undefined || seller === undefined) throw new Error('no pages');
    const base = stack.url;
    const rival = await memberViaApi(base, 'Rex Rival', 1_000);

    const auctionId = await createEnglishAuctionThroughForm(seller, base, {
      title: 'Old violin',
      startPrice: 100,
      minIncrement: 10,
      reservePrice: 125,
      extendSeconds: 8,
      startsInMs: 4_000,
      durationSeconds: 16,
    });
    englishId = auctionId;
    // The seller alone sees the reserve's amount.
    await seller.getByTestId('reserve').filter({ hasText: 'your reserve: 125 points' }).waitFor();

    // The buyer finds it in the list by its badge and opens it.
    await buyer.goto(`${base}/#/`);
    const card = buyer.locator(`[data-auction-id="${auctionId}"]`);
    await card.waitFor();
    expect(await card.getByTestId('card-format').getAttribute('data-format')).toBe('english');
    await card.getByRole('link').click();
    await buyer.getByTestId('auction-title').filter({ hasText: 'Old violin' }).waitFor();
    await expect.poll(() => buyer.getByTestId('connection').textContent()).toBe('Live updates on');
    expect(await buyer.getByTestId('reserve').textContent()).not.toContain('125');
    await expect.poll(() => buyer.getByTestId('auction-status').textContent(), { timeout: 10_000 }).toBe('Live');

    // The buyer bids the minimum the box holds: leading.
    await placeBidOnPage(buyer, 100);
    await expect.poll(() => outcomeOf(buyer)).toBe('leading');
    const header = buyer.getByTestId('header-member');
    await expect.poll(() => header.textContent()).toBe('Bea Bidder · 900 points (100 held)');
    const scheduledEnd = await shownEnd(buyer);

    // A rival outbids through the API: the buyer's page says so from the feed.
    const rivalBid = await bidViaApi(base, rival.token, auctionId, { amount: 120 });
    expect(rivalBid.status).toBe('LEADING');
    await expect.poll(() => outcomeOf(buyer), { timeout: 10_000 }).toBe('outbid');
    await expect.poll(() => buyer.getByTestId('high-bid').getAttribute('data-high-bid')).toBe('120');
    await expect(buyer.getByTestId('reserve').textContent()).resolves.toBe('Reserve not met yet.');
    // Outbid, the hold came back.
    await expect.poll(() => header.textContent()).toBe('Bea Bidder · 1,000 points');
    await buyer.screenshot({ path: `${SCREENSHOTS}/english-outbid.png`, fullPage: true });

    // Inside the last 8 s, the buyer raises to the new minimum: leading again, and the end moves.
    await expect.poll(() => scheduledEnd - stack.now() < 7_000, { timeout: 20_000 }).toBe(true);
    await placeBidOnPage(buyer, 130);
    await expect.poll(() => outcomeOf(buyer), { timeout: 10_000 }).toBe('leading');
    // Its receipt says where it stands: the third bid to settle.
    await expect.poll(() => buyer.getByTestId('receipt-position').getAttribute('data-position')).toBe('3');
    await expect(buyer.getByTestId('receipt-position').textContent()).resolves.toBe('Bid #3 in order');
    await expect.poll(() => shownEnd(buyer), { timeout: 10_000 }).toBeGreaterThan(scheduledEnd);
    await expect(buyer.getByTestId('countdown').textContent()).resolves.toContain('extended by a late bid');
    await expect.poll(() => buyer.getByTestId('reserve').getAttribute('data-reserve-met')).toBe('true');
    // The bid history is the public board: every settled bid in order, masked, the buyer's marked.
    const history = buyer.getByTestId('board-row');
    await expect
      .poll(() =>
        history.evaluateAll((rows) =>
          rows.map((r) => [r.getAttribute('data-amount'), r.getAttribute('data-status'), r.getAttribute('data-mine')]),
        ),
      )
      .toEqual([
        ['100', 'OUTBID', 'true'],
        ['120', 'OUTBID', 'false'],
        ['130', 'LEADING', 'true'],
      ]);
    await expect(history.nth(1).textContent()).resolves.toContain('R***l');
    await expect(history.nth(2).textContent()).resolves.toContain('B***r (you)');
    await buyer.screenshot({ path: `${SCREENSHOTS}/english-extended.png`, fullPage: true });

    // The close: the buyer won at 130, the seller has the 130 points.
    await expect.poll(() => outcomeOf(buyer), { timeout: 20_000 }).toBe('won');
    await expect(buyer.getByTestId('viewer-outcome').textContent()).resolves.toBe('You won at 130 points.');
    await expect.poll(() => header.textContent()).toBe('Bea Bidder · 870 points');
    await expect
      .poll(() => seller.getByTestId('viewer-outcome').textContent(), { timeout: 10_000 })
      .toBe('Sold for 130 points: the points are yours.');
    await expect.poll(() => seller.getByTestId('header-member').textContent()).toBe('Sam Seller · 130 points');
    const won = buyer.locator('[data-testid="purchase"] [data-testid="purchase-status"][data-status="WON"]');
    await won.waitFor();
    await buyer.screenshot({ path: `${SCREENSHOTS}/english-won.png`, fullPage: true });
    expect(await stack.audit()).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('uniform Dutch: everyone pays the final price; after the close the clearing price and the rebate', async () => {
    const [buyer] = buyerBrowser.context.pages();
    const [seller] = sellerBrowser.context.pages();
    if (buyer === undefined || seller === undefined) throw new Error('no pages');
    const base = stack.url;
    const rival = await memberViaApi(base, 'Rita Late', 1_000);

    const auctionId = await createAuctionThroughForm(seller, base, {
      title: 'Tin soldiers',
      startPrice: 100,
      dropAmount: 10,
      dropIntervalSeconds: 1,
      startsInMs: 4_000,
      durationSeconds: 8,
      stock: 5,
      perBuyerLimit: 2,
      uniform: true,
    });

    await buyer.goto(`${base}/#/`);
    const card = buyer.locator(`[data-auction-id="${auctionId}"]`);
    await card.waitFor();
    expect(await card.getByTestId('card-uniform').isVisible()).toBe(true);
    await card.getByRole('link').click();
    await buyer.getByTestId('auction-title').filter({ hasText: 'Tin soldiers' }).waitFor();
    await expect(buyer.getByTestId('uniform-note').textContent()).resolves.toContain('Everyone pays the final price');
    await expect.poll(() => buyer.getByTestId('auction-status').textContent(), { timeout: 10_000 }).toBe('Live');

    // The buyer buys one early, at a high price.
    await buyer.getByRole('button', { name: 'Buy now' }).click();
    await buyer.locator('[data-testid="receipt-status"][data-status="PURCHASED"]').waitFor({ timeout: 10_000 });
    const mine = (await api(base, 'GET', '/members/me/purchases', { token: buyerToken })).body.items.find(
      (r: { auctionId: string }) => r.auctionId === auctionId,
    );
    // A rival buys later, 30 points lower or more.
    const target = mine.unitPrice - 30;
    await expect
      .poll(async () => (await api(base, 'GET', `/auctions/${auctionId}`)).body.currentPrice <= target, {
        timeout: 10_000,
      })
      .toBe(true);
    const late = await bidViaApi(base, rival.token, auctionId, { quantity: 1, maxPrice: 1_000 });
    expect(late.status).toBe('PURCHASED');
    const clearing = late.unitPrice ?? Number.NaN;

    // The close: the page names the clearing price, and the buyer's receipt shows the rebate.
    const note = buyer.getByTestId('uniform-note');
    await expect.poll(() => note.getAttribute('data-clearing-price'), { timeout: 15_000 }).toBe(String(clearing));
    const rebate = mine.unitPrice - clearing;
    const row = buyer.locator(`[data-testid="purchase"][data-receipt-id="${mine.id}"]`);
    await expect
      .poll(() => row.locator('.purchase-amount').textContent(), { timeout: 10_000 })
      .toBe(`1 × ${mine.unitPrice} = ${mine.unitPrice} points; final price ${clearing} each: ${rebate} points back`);
    const settled = (await api(base, 'GET', `/receipts/${mine.id}`, { token: buyerToken })).body;
    expect([settled.finalUnitPrice, settled.rebate]).toEqual([clearing, rebate]);
    await buyer.screenshot({ path: `${SCREENSHOTS}/uniform-closed.png`, fullPage: true });
    expect(await stack.audit()).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('the English form and an English auction fit a 375 px phone screen', async () => {
    const page = await buyerBrowser.context.newPage();
    watchErrors(page, errors);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${stack.url}/#/sell`);
    await page.getByLabel('English: bidders raise the price; the highest bid wins', { exact: true }).check();
    await page.getByTestId('preview-minimums').waitFor();
    const pages = [['#/sell', 'sell-english-phone']] as const;
    const auction = englishId === null ? [] : ([[`#/auctions/${englishId}`, 'english-phone']] as const);
    for (const [hash, name] of [...pages, ...auction]) {
      if (hash !== '#/sell') await page.goto(`${stack.url}/${hash}`);
      await page.locator('h1').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${hash} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    }
    expect(errors).toEqual([]);
  });
});
