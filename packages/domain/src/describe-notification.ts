import { describeFailure, FAILURE_REASONS, type FailureReason } from './errors.ts';
import type { NotificationData, NotificationKind } from './notification.ts';

/**
 * The words of a notification, from its kind and stored data: the one place wording lives, so
 * changing it changes every notification already stored. Total: data read back from the
 * database (or written by an older version) may lack a field, and the words then say less
 * rather than fail.
 */
export function describeNotification(kind: NotificationKind, data: NotificationData): string {
  const title = textOf(data, 'title');
  const words = wordsOf(kind, title ?? UNTITLED, data);
  // Only the stand-in is capitalised: a seller's title is shown as they wrote it.
  return title === null && words.startsWith(UNTITLED) ? `A${words.slice(1)}` : words;
}

/** Stands for a title the data lacks. */
const UNTITLED = 'an auction';

function wordsOf(kind: NotificationKind, title: string, data: NotificationData): string {
  switch (kind) {
    case 'receipt':
      return describeReceipt(title, data);
    case 'rebate':
      return `You got ${points(data.rebate)} back on ${title}: everyone pays the clearing price of ${points(data.finalUnitPrice)} a unit.`;
    case 'auction_starting':
      return `${title} has started.`;
    case 'price_alert':
      return `${title} is at ${points(data.price)} now, at or below your alert price of ${points(data.alertPrice)}.`;
    case 'ending_soon':
      return `${title} ends in less than a minute: bid now if you want it.`;
    case 'sold':
      return describeSold(title, data);
  }
}

function describeReceipt(title: string, data: NotificationData): string {
  switch (data.status) {
    case 'PURCHASED':
      return `You bought ${count(data.quantity)} × ${title} at ${points(data.unitPrice)}.`;
    case 'FAILED':
      return `Your bid on ${title} did not go through: ${failureText(data.failureReason)}`;
    case 'OUTBID':
      return data.byYou === true
        ? `You raised your bid on ${title} to ${points(data.highBid)}.`
        : `You were outbid on ${title}: ${points(data.highBid)} leads now.`;
    case 'WON':
      return `You won ${title} for ${points(data.amount)}.`;
    case 'RESERVE_NOT_MET':
      return `${title} ended unsold: your ${points(data.amount)} did not meet the seller's reserve, and the points are yours again.`;
    case 'REFUNDED':
      return `Your refund for ${count(data.quantity)} × ${title} went through: ${points(data.total)} are back.`;
    case 'REFUND_FAILED':
      return `Your refund for ${title} did not go through: ${failureText(data.failureReason)}`;
    default:
      return `Your receipt for ${title} was updated.`;
  }
}

function describeSold(title: string, data: NotificationData): string {
  const units = typeof data.unitsSold === 'number' ? data.unitsSold : 0;
  if (units === 0) return `Your auction ${title} closed with nothing sold.`;
  if (data.format === 'english') return `Your auction ${title} sold for ${points(data.pointsEarned)}.`;
  const unitWord = units === 1 ? 'unit' : 'units';
  return `Your auction ${title} closed: ${units} ${unitWord} sold, ${points(data.pointsEarned)} earned.`;
}

function textOf(data: NotificationData, field: string): string | null {
  const value = data[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

function points(value: NotificationData[string] | undefined): string {
  if (typeof value !== 'number') return 'some points';
  return value === 1 ? '1 point' : `${value} points`;
}

function count(value: NotificationData[string] | undefined): string {
  return typeof value === 'number' ? String(value) : 'some';
}

function failureText(reason: NotificationData[string] | undefined): string {
  const known = FAILURE_REASONS.find((r): r is FailureReason => r === reason);
  return known === undefined ? 'it could not be settled.' : describeFailure(known);
}
