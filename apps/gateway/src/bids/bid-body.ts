import type { BidCreate } from '@dutch/contract';
import { MAX_BID_AMOUNT, MAX_STOCK } from '@dutch/domain';

const within = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;

/**
 * The bid body in its one common form, read without the validator: `{"quantity","maxPrice"}` or
 * `{"amount"}`, whole numbers in the contract's ranges, nothing else. Null for anything else
 * (bad JSON, another key, a fraction, out of range): the normal route then validates it and
 * answers the contract's 400 with its details. So this may only ever accept what BidCreate
 * accepts (bid-body.test.ts checks that against the schema itself), never refuse anything.
 */
export function readBidBody(text: string): BidCreate | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const body = parsed as Record<string, unknown>;
  const keys = Object.keys(body).length;
  if (keys === 2 && within(body.quantity, 1, MAX_STOCK) && within(body.maxPrice, 1, Number.MAX_SAFE_INTEGER))
    return { quantity: body.quantity, maxPrice: body.maxPrice };
  if (keys === 1 && within(body.amount, 1, MAX_BID_AMOUNT)) return { amount: body.amount };
  return null;
}
