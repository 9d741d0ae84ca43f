/**
 * A receipt between its 202 and its settlement (a field of the shard's pending-receipts hash).
 * The gateway writes it in the same script as the stream entry; GET /receipts/:id reads it
 * until Postgres has the settled row; the consumer deletes it after commit, or reads it to fail
 * an entry it cannot decode.
 */
export interface PendingReceipt {
  readonly id: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  /** Epoch ms. */
  readonly acceptedAt: number;
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
    return value as unknown as PendingReceipt;
  } catch {
    return null;
  }
}
