import type { Receipt } from '@dutch/contract';
import { fetchReceipt } from '../api/endpoints.ts';
import { ApiError } from '../api/http.ts';
import { pollUntil } from '../lib/poll-until.ts';

/** Refusals that asking again will not change; anything else (network, 5xx, 429) is retried. */
function isFatal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** Polls GET /receipts/:id until `isDone`, reporting every reading; resolves with the last one. */
export function trackReceipt(
  token: string,
  receiptId: string,
  isDone: (receipt: Receipt) => boolean,
  onValue: (receipt: Receipt) => void,
  signal: AbortSignal,
): Promise<Receipt | null> {
  return pollUntil({
    load: (abort) => fetchReceipt(token, receiptId, abort),
    isDone,
    onValue,
    isFatal,
    signal,
  });
}
