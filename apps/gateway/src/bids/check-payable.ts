import type { DomainError, Result } from '@dutch/domain';
import type { PointsBounds } from '../auth/points-bounds.ts';

/**
 * Whether the buyer may be able to pay, by the upper bound of their points: `check` judges the
 * bounds as they are. A refusal is confirmed against Postgres first (the bound may not have
 * heard of a charge made through another gateway a moment ago), and when that read fails the
 * bid goes on: settlement decides it with the true balance, so a bound may only let bids through.
 */
export async function checkPayable(
  points: PointsBounds | undefined,
  memberId: string,
  check: (points: PointsBounds) => Result<void, DomainError>,
): Promise<Result<void, DomainError>> {
  if (points === undefined) return { ok: true, value: undefined };
  const first = check(points);
  if (first.ok) return first;
  const reloaded = await points.reload(memberId);
  return reloaded ? check(points) : { ok: true, value: undefined };
}
