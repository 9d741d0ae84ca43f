/**
 * Version 2 auctions (English, uniform-price Dutch) are created the way a seller creates them:
 * POST /auctions on the running engine, so the gateway's own validation and the row it writes
 * are what the scenarios bid on.
 */
import type { EnglishTerms } from '@dutch/domain';
import type { Buyer } from './seed.ts';

export interface EnglishPlan {
  readonly title: string;
  readonly startPrice: number;
  readonly minIncrement: number;
  readonly reservePrice: number | null;
  /** Epoch ms; the gateway refuses a start in the past. */
  readonly startsAt: number;
  readonly durationSeconds: number;
  readonly extendSeconds: number;
}

/** A Dutch auction dropping a constant step (the uniform scenario's, and the watchers'). */
export interface UniformPlan {
  readonly title: string;
  readonly startPrice: number;
  readonly dropAmount: number;
  readonly dropIntervalSeconds: number;
  readonly startsAt: number;
  readonly durationSeconds: number;
  readonly stock: number;
  readonly perBuyerLimit: number;
}

/** The next whole second at least `leadMs` from now: a start the gateway accepts with time to spare. */
export function startAfter(leadMs: number, now = Date.now()): number {
  return Math.ceil((now + leadMs) / 1000) * 1000;
}

async function postAuction(url: string, seller: Buyer, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${url}/auctions`, {
    method: 'POST',
    headers: { authorization: seller.authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /auctions answered ${response.status}: ${text}`);
  const view = JSON.parse(text) as { id?: unknown };
  if (typeof view.id !== 'string') throw new Error(`POST /auctions answered without an id: ${text}`);
  return view.id;
}

/** Creates an English auction; its terms as created (endsAt: the scheduled end). */
export async function createEnglishAuction(
  url: string,
  seller: Buyer,
  plan: EnglishPlan,
): Promise<{ id: string; terms: EnglishTerms }> {
  const endsAt = plan.startsAt + plan.durationSeconds * 1000;
  const id = await postAuction(url, seller, {
    format: 'english',
    title: plan.title,
    description: 'benchmark',
    startPrice: plan.startPrice,
    minIncrement: plan.minIncrement,
    ...(plan.reservePrice === null ? {} : { reservePrice: plan.reservePrice }),
    startsAt: new Date(plan.startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    extendSeconds: plan.extendSeconds,
  });
  const { startPrice, minIncrement, reservePrice, startsAt, extendSeconds } = plan;
  return {
    id,
    terms: { sellerId: seller.id, startPrice, minIncrement, reservePrice, startsAt, endsAt, extendSeconds },
  };
}

/** Creates a uniform-price Dutch auction whose price drops by a constant step; returns its id. */
export async function createUniformAuction(url: string, seller: Buyer, plan: UniformPlan): Promise<string> {
  return createDutchAuction(url, seller, plan, 'uniform');
}

/** Creates a Dutch auction whose price drops by a constant step, at either pricing; returns its id. */
export async function createDutchAuction(
  url: string,
  seller: Buyer,
  plan: UniformPlan,
  pricing: 'uniform' | 'pay_as_bid',
): Promise<string> {
  return postAuction(url, seller, {
    title: plan.title,
    description: 'benchmark',
    pricing,
    startPrice: plan.startPrice,
    priceDrop: { kind: 'constant', amount: plan.dropAmount },
    dropIntervalSeconds: plan.dropIntervalSeconds,
    startsAt: new Date(plan.startsAt).toISOString(),
    endsAt: new Date(plan.startsAt + plan.durationSeconds * 1000).toISOString(),
    stock: plan.stock,
    perBuyerLimit: plan.perBuyerLimit,
  });
}

/** Resolves at `at` (epoch ms), or at once if it has passed. */
export function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}
