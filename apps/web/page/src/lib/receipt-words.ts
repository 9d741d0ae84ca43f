import type { Receipt } from '@dutch/contract';
import { describePosition } from './bid-history.ts';
import { formatClockMs, formatPoints } from './format.ts';

/**
 * What a receipt cost, in one line. A uniform Dutch receipt pays the clearing price in the end:
 * once closed, `finalUnitPrice` is below `unitPrice` when a later buyer paid less, and the
 * difference came back as the `rebate`.
 */
export function describeReceiptAmount(receipt: Receipt): string {
  if (receipt.format === 'english') return `Bid of ${formatPoints(receipt.amount)} points`;
  const paid = `${receipt.quantity} × ${formatPoints(receipt.unitPrice)} = ${formatPoints(receipt.total)} points`;
  if (receipt.rebate > 0) {
    return `${paid}; final price ${formatPoints(receipt.finalUnitPrice)} each: ${formatPoints(receipt.rebate)} points back`;
  }
  return paid;
}

/** The price a uniform buyer finally pays, once their auction closed and the clearing price is known. */
export function describeClearing(clearingPrice: number | null): string {
  if (clearingPrice === null) return 'Closed with nothing sold.';
  return `Everyone paid the final price: ${formatPoints(clearingPrice)} points each. Anyone who bought higher got the difference back.`;
}

/** The promise of uniform pricing, said where buyers decide. */
export const UNIFORM_NOTE =
  'Everyone pays the final price: buy now at the current price, and when the auction closes, everyone pays the lowest price anyone bought at. The difference comes back to you.';

/** A settled receipt's place in its auction's settlement order; null while PENDING. */
export function positionOf(receipt: Pick<Receipt, 'position'>): number | null {
  return receipt.position ?? null;
}

/**
 * Where the viewer's bid stands, with the server's stamp to the millisecond: "#12 in line ·
 * accepted at 09:05:07.045". Before it settles it has no place yet.
 */
export function describeReceiptPlace(receipt: Pick<Receipt, 'position' | 'format' | 'acceptedAt'>): string {
  const accepted = `accepted at ${formatClockMs(Date.parse(receipt.acceptedAt))}`;
  const position = positionOf(receipt);
  if (position === null) return `Waiting for its place in line · ${accepted}`;
  return `${describePosition(position, receipt.format)} · ${accepted}`;
}
