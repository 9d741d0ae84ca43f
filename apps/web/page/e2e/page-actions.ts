import type { Page } from 'playwright-core';

/** What a person does on the page, through labels and button names as a screen reader would. */

export async function signUp(page: Page, base: string, name: string): Promise<string> {
  await page.goto(`${base}/#/account`);
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Sign up' }).click();
  const token = await page.getByTestId('new-token').inputValue();
  await page.getByTestId('member-name').filter({ hasText: name }).waitFor();
  return token;
}

export async function chargePoints(page: Page, amount: number): Promise<void> {
  await page.getByLabel('Points to add', { exact: true }).fill(String(amount));
  await page.getByRole('button', { name: 'Add points' }).click();
  await page.locator(`[data-testid="member-points"][data-points="${amount}"]`).waitFor();
}

export interface AuctionInput {
  readonly title: string;
  readonly startPrice: number;
  readonly dropAmount: number;
  readonly dropIntervalSeconds: number;
  readonly startsInMs: number;
  readonly durationSeconds: number;
  readonly stock: number;
  readonly perBuyerLimit: number;
  /** Everyone pays the final price (uniform pricing); pay-as-bid when left out. */
  readonly uniform?: boolean;
}

/** An instant `ms` from now as datetime-local takes it: the browser formats it, so time zones agree. */
export function localDateTime(page: Page, ms: number): Promise<string> {
  return page.evaluate((offset) => {
    const d = new Date(Date.now() + offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }, ms);
}

/** Submits the Sell form and returns the id of the auction it opened. */
export async function submitAuctionForm(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create auction' }).click();
  await page.waitForURL(/#\/auctions\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).hash.split('/').pop();
  if (id === undefined) throw new Error(`no auction id in ${page.url()}`);
  return id;
}

/** Fills the Sell form, waits for the live schedule preview, submits; returns the new auction's id. */
export async function createAuctionThroughForm(page: Page, base: string, input: AuctionInput): Promise<string> {
  await page.goto(`${base}/#/sell`);
  await page.getByLabel('Title', { exact: true }).fill(input.title);
  if (input.uniform) {
    await page.getByLabel('Everyone pays the final price (the lowest any buyer paid)', { exact: true }).check();
  }
  await page.getByLabel('Start price (points)', { exact: true }).fill(String(input.startPrice));
  await page.getByLabel('By a fixed amount', { exact: true }).check();
  await page.getByLabel('Drop by (points)', { exact: true }).fill(String(input.dropAmount));
  await page.getByLabel('Drop every (seconds)', { exact: true }).fill(String(input.dropIntervalSeconds));
  await page.getByLabel('After a duration', { exact: true }).check();
  await page.getByLabel('Duration (seconds)', { exact: true }).fill(String(input.durationSeconds));
  await page.getByLabel('Stock (units for sale)', { exact: true }).fill(String(input.stock));
  await page.getByLabel('Limit per buyer (units)', { exact: true }).fill(String(input.perBuyerLimit));
  await page.getByLabel('Starts at', { exact: true }).fill(await localDateTime(page, input.startsInMs));
  await page
    .getByTestId('preview-summary')
    .filter({ hasText: `${input.durationSeconds / input.dropIntervalSeconds} prices` })
    .waitFor();
  return submitAuctionForm(page);
}

/** The price the page shows, as a number. */
export async function shownPrice(page: Page): Promise<number> {
  const value = await page.getByTestId('current-price').getAttribute('data-price');
  return Number(value);
}

/** Waits until the page shows a price below `than`, and returns it. */
export async function waitForLowerPrice(page: Page, than: number, timeout = 10_000): Promise<number> {
  await page.waitForFunction(
    (limit) => Number(document.querySelector('[data-testid="current-price"]')?.getAttribute('data-price')) < limit,
    than,
    { timeout },
  );
  return shownPrice(page);
}

/**
 * The price the page shows equals the server's at the same moment. Right after a drop the page
 * may lag the server by the network latency (its clock runs behind, on purpose), so readings
 * within 150 ms of a drop are taken again rather than compared.
 */
export async function expectPriceAgreesWithServer(page: Page, auctionId: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const reading = await page.evaluate(async (id) => {
      const shown = () => Number(document.querySelector('[data-testid="current-price"]')?.getAttribute('data-price'));
      const before = shown();
      const view = await (await fetch(`/auctions/${id}`)).json();
      const after = shown();
      const sinceDrop = (Date.parse(view.serverTime) - Date.parse(view.startsAt)) % (view.dropIntervalSeconds * 1000);
      return { before, after, server: view.currentPrice as number, sinceDrop };
    }, auctionId);
    if (reading.before === reading.after && reading.sinceDrop > 150) {
      if (reading.server !== reading.before) {
        throw new Error(`the page shows ${reading.before} while the server says ${reading.server}`);
      }
      return;
    }
    await page.waitForTimeout(97);
  }
  throw new Error('could not read the price away from a drop');
}
