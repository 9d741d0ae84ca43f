import type { RedisClient } from './redis.ts';

/**
 * A receipt between its 202 and its settlement (a field of the shard's pending-receipts hash).
 * The gateway writes it in the same script as the stream entry; GET /receipts/:id reads it
 * until Postgres has the settled row; the consumer deletes it after commit, or reads it to fail
 * an entry it cannot decode.
 */
export interface PendingReceipt {
  readonly id: string;
  /**
   * 'english' for an English bid (quantity 1, unitPrice = total = the amount); absent for Dutch.
   * A receipt given up on from this copy alone is written in its auction's format.
   */
  readonly format?: 'english';
  readonly auctionId: string;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  /** Epoch ms. */
  readonly acceptedAt: number;
  /**
   * Set when the consumer gave up on the receipt but could not write its row to Postgres: the
   * copy is then the receipt's final record (FAILED with this reason), kept for GET /receipts.
   */
  readonly failureReason?: 'PROCESSING_FAILED';
  /** Epoch ms; with failureReason. */
  readonly settledAt?: number;
}

export function encodePendingReceipt(receipt: PendingReceipt): string {
  return JSON.stringify(receipt);
}

export function decodePendingReceipt(json: string | null): PendingReceipt | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const strings = ['id', 'auctionId', 'buyerId', 'sellerId'] as const;
    const numbers = ['quantity', 'unitPrice', 'total', 'acceptedAt'] as const;
    if (!strings.every((k) => typeof value[k] === 'string')) return null;
    if (!numbers.every((k) => Number.isSafeInteger(value[k]))) return null;
    if (value.format !== undefined && value.format !== 'english') return null;
    if (value.failureReason !== undefined && value.failureReason !== 'PROCESSING_FAILED') return null;
    if (value.settledAt !== undefined && !Number.isSafeInteger(value.settledAt)) return null;
    return value as unknown as PendingReceipt;
  } catch {
    return null;
  }
}

/** A pending copy rewritten as the final record of a receipt the consumer gave up on. */
export function failedPendingReceipt(pending: PendingReceipt, settledAt: number): PendingReceipt {
  return { ...pending, failureReason: 'PROCESSING_FAILED', settledAt };
}

/**
 * Queues a refund and marks its receipt in one step (KEYS: stream, refund marks; ARGV: receipt
 * id, request id, stream fields...). While a mark is there the receipt reads REFUND_PENDING, so
 * a second request for it is refused (nil) instead of queued.
 */
const QUEUE_REFUND = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return false end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return id
`;

/**
 * Removes the marks of decided refunds (KEYS: refund marks; ARGV: receipt id, request id, ...),
 * each only if it still names that request: a mark for a newer request stays until it is decided.
 */
const CLEAR_REFUND_MARKS = `
local removed = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then removed = removed + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return removed
`;

type ScriptCommand<T> = (...keysAndArgs: string[]) => Promise<T>;
interface RefundMarkCommands {
  queueRefund: ScriptCommand<string | null>;
  clearRefundMarks: ScriptCommand<number>;
}

/** Defines the refund-mark scripts on this connection (idempotent); connectRedis() does it for every client. */
export function defineRefundScripts(redis: RedisClient): void {
  if (!('queueRefund' in redis)) {
    redis.defineCommand('queueRefund', { numberOfKeys: 2, lua: QUEUE_REFUND });
    redis.defineCommand('clearRefundMarks', { numberOfKeys: 1, lua: CLEAR_REFUND_MARKS });
  }
}

function refundMarkCommands(redis: RedisClient): RefundMarkCommands {
  defineRefundScripts(redis);
  return redis as unknown as RefundMarkCommands;
}

/** Appends a refund to its shard's stream and marks its receipt; the stream id, or null if a refund is already queued. */
export function queueRefund(
  redis: RedisClient,
  keys: { readonly stream: string; readonly marks: string },
  receiptId: string,
  requestId: string,
  fields: readonly string[],
): Promise<string | null> {
  return refundMarkCommands(redis).queueRefund(keys.stream, keys.marks, receiptId, requestId, ...fields);
}

/** Removes the marks of these decided requests (receipt id and request id each); returns how many went. */
export async function clearRefundMarks(
  redis: RedisClient,
  marksKey: string,
  decided: readonly { readonly receiptId: string; readonly requestId: string }[],
): Promise<number> {
  if (decided.length === 0) return 0;
  const args = decided.flatMap((d) => [d.receiptId, d.requestId]);
  return refundMarkCommands(redis).clearRefundMarks(marksKey, ...args);
}
