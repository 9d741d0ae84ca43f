import { type Millis, type Violation, validateAuction, validateEnglishAuction } from '@dutch/domain';
import { type AuctionFormValues, draftFromForm, isScheduleDrawable } from './auction-form.ts';
import { areIncrementsDrawable, englishDraftFromForm } from './english-form.ts';

/** Every rule the form breaks, by the domain's validator for the chosen format (the server's rules). */
export function checkAuctionForm(values: AuctionFormValues, now: Millis): Violation[] {
  const result =
    values.format === 'english'
      ? validateEnglishAuction(englishDraftFromForm(values), now)
      : validateAuction(draftFromForm(values), now);
  return result.ok || result.error.code !== 'INVALID_REQUEST' ? [] : [...result.error.violations];
}

/** Whether the preview (schedule or increments) can be drawn despite these violations. */
export function isPreviewDrawable(
  values: Pick<AuctionFormValues, 'format'>,
  violations: readonly Violation[],
): boolean {
  return values.format === 'english' ? areIncrementsDrawable(violations) : isScheduleDrawable(violations);
}
