import type { ReceiptStatus } from '@dutch/domain';
import { describeReceiptFailure, describeReceiptStatus } from '../lib/plain-words.ts';
import { h, setText } from './dom.ts';

export interface ReceiptStatusView {
  readonly element: HTMLElement;
  show(status: ReceiptStatus, failureReason: string | undefined): void;
}

/**
 * A receipt's status and, when something went wrong, why, in plain words. A polite live
 * region: PENDING -> PURCHASED is read out without the buyer moving focus.
 */
export function createReceiptStatus(testId: string): ReceiptStatusView {
  const status = h('p', { class: 'receipt-status', 'data-testid': testId });
  const reason = h('p', { class: 'receipt-reason', 'data-testid': `${testId}-reason`, hidden: true });
  const element = h('div', { role: 'status', 'aria-atomic': 'true' }, status, reason);
  return {
    element,
    show(value, failureReason) {
      status.dataset.status = value;
      status.className = `receipt-status receipt-${value.toLowerCase().replaceAll('_', '-')}`;
      setText(status, describeReceiptStatus(value));
      const words = describeReceiptFailure(failureReason);
      reason.hidden = words === null;
      setText(reason, words ?? '');
    },
  };
}
