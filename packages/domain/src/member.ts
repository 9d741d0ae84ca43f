import { type DomainError, err, invalid, ok, type Result } from './errors.ts';
import { MAX_CHARGE } from './limits.ts';

/** The genders a member may give; the API's schemas and the database's check are built from it. */
export const GENDERS = Object.freeze(['female', 'male', 'other'] as const);

export type Gender = (typeof GENDERS)[number];

/** A points charge: a whole number from 1 to 10^9. */
export function validateCharge(amount: number): Result<number, DomainError> {
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_CHARGE) {
    return err(
      invalid([{ field: 'amount', rule: 'charge_range', message: `must be a whole number from 1 to ${MAX_CHARGE}` }]),
    );
  }
  return ok(amount);
}
