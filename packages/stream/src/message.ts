import { IDEMPOTENCY_KEY } from '@dutch/domain';

/**
 * Stream entries, as flat field/value lists. Decoding is strict: an entry that does not
 * decode is a poison message, retried and then dead-lettered, never guessed at.
 */
export interface BidMessage {
  readonly kind: 'bid';
  readonly receiptId: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** Epoch ms, the gateway's clock when it accepted the bid. */
  readonly acceptedAt: number;
  /**
   * The request's Idempotency-Key and the gateway's window for it, so settlement can refuse a
   * retry Redis forgot. Absent without a key, and in entries written before keys were carried.
   */
  readonly idempotency?: { readonly key: string; readonly windowMs: number };
}

export interface RefundMessage {
  readonly kind: 'refund';
  readonly receiptId: string;
  readonly auctionId: string;
  readonly buyerId: string;
  /** Names this request, so a redelivered request is decided once. */
  readonly requestId: string;
  /** Epoch ms, the gateway's clock when it accepted the request. */
  readonly requestedAt: number;
}

export type StreamMessage = BidMessage | RefundMessage;

export function encodeMessage(message: StreamMessage): string[] {
  if (message.kind === 'bid') {
    return [
      'kind',
      'bid',
      'receiptId',
      message.receiptId,
      'auctionId',
      message.auctionId,
      'buyerId',
      message.buyerId,
      'quantity',
      String(message.quantity),
      'unitPrice',
      String(message.unitPrice),
      'acceptedAt',
      String(message.acceptedAt),
      ...(message.idempotency === undefined
        ? []
        : ['idempotencyKey', message.idempotency.key, 'idempotencyWindowMs', String(message.idempotency.windowMs)]),
    ];
  }
  return [
    'kind',
    'refund',
    'receiptId',
    message.receiptId,
    'auctionId',
    message.auctionId,
    'buyerId',
    message.buyerId,
    'requestId',
    message.requestId,
    'requestedAt',
    String(message.requestedAt),
  ];
}

export type DecodeResult =
  | { readonly ok: true; readonly message: StreamMessage }
  | { readonly ok: false; readonly error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

export function decodeMessage(fields: readonly string[]): DecodeResult {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const problems: string[] = [];
  const uuid = (name: string) => {
    const value = map.get(name);
    if (value === undefined || !UUID.test(value)) problems.push(`${name} is not a uuid`);
    return value ?? '';
  };
  const int = (name: string) => {
    const value = map.get(name);
    if (value === undefined || !POSITIVE_INT.test(value)) {
      problems.push(`${name} is not a positive integer`);
      return 0;
    }
    return Number(value);
  };
  const kind = map.get('kind');
  let message: StreamMessage | null = null;
  if (kind === 'bid') {
    message = {
      kind,
      receiptId: uuid('receiptId'),
      auctionId: uuid('auctionId'),
      buyerId: uuid('buyerId'),
      quantity: int('quantity'),
      unitPrice: int('unitPrice'),
      acceptedAt: int('acceptedAt'),
      ...idempotencyOf(map, int, problems),
    };
  } else if (kind === 'refund') {
    message = {
      kind,
      receiptId: uuid('receiptId'),
      auctionId: uuid('auctionId'),
      buyerId: uuid('buyerId'),
      requestId: uuid('requestId'),
      requestedAt: int('requestedAt'),
    };
  } else {
    problems.push(`unknown kind ${JSON.stringify(kind)}`);
  }
  if (message === null || problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, message };
}

/** The optional key and window of a bid: both or neither, never half a claim. */
function idempotencyOf(
  map: ReadonlyMap<string, string>,
  int: (name: string) => number,
  problems: string[],
): { idempotency?: { key: string; windowMs: number } } {
  const key = map.get('idempotencyKey');
  if (key === undefined && !map.has('idempotencyWindowMs')) return {};
  if (key === undefined || !IDEMPOTENCY_KEY.test(key)) problems.push('idempotencyKey is not a valid key');
  return { idempotency: { key: key ?? '', windowMs: int('idempotencyWindowMs') } };
}

/** Best effort, for dead-lettering: the receipt an undecodable entry was about, if it says. */
export function receiptIdOf(fields: readonly string[]): string | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'receiptId' && UUID.test(fields[i + 1] as string)) return fields[i + 1] as string;
  }
  return null;
}
