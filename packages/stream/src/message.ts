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

/** An English bid: an amount for the one lot, settled in stream order against the current lead. */
export interface EnglishBidMessage {
  readonly kind: 'english_bid';
  readonly receiptId: string;
  readonly auctionId: string;
  readonly buyerId: string;
  readonly amount: number;
  /** Epoch ms, the gateway's clock when it accepted the bid. */
  readonly acceptedAt: number;
  readonly idempotency?: { readonly key: string; readonly windowMs: number };
}

/**
 * Closes an auction at `closeFor`, in the same stream as its bids, so every bid appended before
 * it settles first. An English end can move after the entry was appended: the consumer then
 * finds it premature and acks it, and the closer appends another for the new end.
 */
export interface CloseMessage {
  readonly kind: 'close';
  readonly auctionId: string;
  /** Epoch ms: the end this entry closes at (a Dutch sell-out: its endsAt too). */
  readonly closeFor: number;
  /** Epoch ms, the appender's clock. */
  readonly requestedAt: number;
}

export type StreamMessage = BidMessage | EnglishBidMessage | RefundMessage | CloseMessage;

/**
 * A bid's fields travel packed, as one JSON object of strings under `packed` beside its kind:
 * the bid script hands Redis every field of every bid as an argument, and Redis turns each into
 * a Lua string and a stream field, so four strings cost it far less than eighteen. Refunds and
 * closes are rare and stay flat. The decoder reads both forms alike (and entries written before
 * bids were packed).
 */
export function encodeMessage(message: StreamMessage): string[] {
  switch (message.kind) {
    case 'bid':
      return pack('bid', {
        receiptId: message.receiptId,
        auctionId: message.auctionId,
        buyerId: message.buyerId,
        quantity: String(message.quantity),
        unitPrice: String(message.unitPrice),
        acceptedAt: String(message.acceptedAt),
        ...encodeIdempotency(message.idempotency),
      });
    case 'english_bid':
      return pack('english_bid', {
        receiptId: message.receiptId,
        auctionId: message.auctionId,
        buyerId: message.buyerId,
        amount: String(message.amount),
        acceptedAt: String(message.acceptedAt),
        ...encodeIdempotency(message.idempotency),
      });
    case 'refund':
      return [
        ...['kind', 'refund', 'receiptId', message.receiptId, 'auctionId', message.auctionId],
        ...['buyerId', message.buyerId, 'requestId', message.requestId],
        ...['requestedAt', String(message.requestedAt)],
      ];
    case 'close':
      return [
        ...['kind', 'close', 'auctionId', message.auctionId],
        ...['closeFor', String(message.closeFor), 'requestedAt', String(message.requestedAt)],
      ];
  }
}

const PACKED = 'packed';

function pack(kind: string, fields: Readonly<Record<string, string>>): string[] {
  return ['kind', kind, PACKED, JSON.stringify(fields)];
}

/** An entry's field/value pairs by name (a repeated name: the last counts). */
function pairsOf(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return map;
}

/** An entry's fields by name, its packed ones (if any) in place of `packed`; null if they do not unpack. */
function fieldsOf(entry: readonly string[]): Map<string, string> | null {
  const map = pairsOf(entry);
  const json = map.get(PACKED);
  if (json === undefined) return map;
  map.delete(PACKED);
  let packed: unknown;
  try {
    packed = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof packed !== 'object' || packed === null || Array.isArray(packed)) return null;
  for (const [name, value] of Object.entries(packed)) {
    // A field both packed and outside would be a guess at which one counts.
    if (typeof value !== 'string' || map.has(name) || name === PACKED) return null;
    map.set(name, value);
  }
  return map;
}

function encodeIdempotency(idempotency: BidMessage['idempotency']): Record<string, string> {
  return idempotency === undefined
    ? {}
    : { idempotencyKey: idempotency.key, idempotencyWindowMs: String(idempotency.windowMs) };
}

export type DecodeResult =
  | { readonly ok: true; readonly message: StreamMessage }
  | { readonly ok: false; readonly error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

interface FieldReader {
  readonly map: ReadonlyMap<string, string>;
  readonly problems: string[];
  uuid(name: string): string;
  int(name: string): number;
}

function readFields(map: ReadonlyMap<string, string>): FieldReader {
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
  return { map, problems, uuid, int };
}

/** Every field a kind carries, each checked; null for a kind this codec does not know. */
function readMessage(r: FieldReader, kind: string | undefined): StreamMessage | null {
  switch (kind) {
    case 'bid':
      return {
        ...{ kind, receiptId: r.uuid('receiptId'), auctionId: r.uuid('auctionId'), buyerId: r.uuid('buyerId') },
        ...{ quantity: r.int('quantity'), unitPrice: r.int('unitPrice'), acceptedAt: r.int('acceptedAt') },
        ...idempotencyOf(r.map, r.int, r.problems),
      };
    case 'english_bid':
      return {
        ...{ kind, receiptId: r.uuid('receiptId'), auctionId: r.uuid('auctionId'), buyerId: r.uuid('buyerId') },
        ...{ amount: r.int('amount'), acceptedAt: r.int('acceptedAt') },
        ...idempotencyOf(r.map, r.int, r.problems),
      };
    case 'refund':
      return {
        ...{ kind, receiptId: r.uuid('receiptId'), auctionId: r.uuid('auctionId'), buyerId: r.uuid('buyerId') },
        ...{ requestId: r.uuid('requestId'), requestedAt: r.int('requestedAt') },
      };
    case 'close':
      return { kind, auctionId: r.uuid('auctionId'), closeFor: r.int('closeFor'), requestedAt: r.int('requestedAt') };
    default:
      return null;
  }
}

export function decodeMessage(fields: readonly string[]): DecodeResult {
  const map = fieldsOf(fields);
  if (map === null) return { ok: false, error: `${PACKED} is not a JSON object of strings, each a field of its own` };
  const reader = readFields(map);
  const kind = reader.map.get('kind');
  const message = readMessage(reader, kind);
  if (message === null) reader.problems.push(`unknown kind ${JSON.stringify(kind)}`);
  if (message === null || reader.problems.length > 0) return { ok: false, error: reader.problems.join('; ') };
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
export function receiptIdOf(entry: readonly string[]): string | null {
  const receiptId = (fieldsOf(entry) ?? pairsOf(entry)).get('receiptId');
  return receiptId !== undefined && UUID.test(receiptId) ? receiptId : null;
}
