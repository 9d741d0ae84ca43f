import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BidMessage,
  type CloseMessage,
  decodeMessage,
  type EnglishBidMessage,
  encodeMessage,
  receiptIdOf,
  type StreamMessage,
} from './message.ts';

/**
 * An encoded entry changed as a flat field list, whichever form it has: a packed entry's
 * packed fields are changed too, and packed again.
 */
function edit(fields: readonly string[], change: (flat: string[]) => string[]): string[] {
  const at = fields.indexOf('packed');
  if (at < 0) return change([...fields]);
  const outside = change([...fields.slice(0, at), ...fields.slice(at + 2)]);
  const inside = change(Object.entries(JSON.parse(fields[at + 1] as string) as Record<string, string>).flat());
  const packed: Record<string, string> = {};
  for (let i = 0; i + 1 < inside.length; i += 2) packed[inside[i] as string] = inside[i + 1] as string;
  return [...outside, 'packed', JSON.stringify(packed)];
}
const replace = (fields: readonly string[], name: string, value: string) =>
  edit(fields, (flat) => flat.map((f, i) => (i > 0 && i % 2 === 1 && flat[i - 1] === name ? value : f)));
const without = (fields: readonly string[], name: string) =>
  edit(fields, (flat) => {
    const at = flat.indexOf(name);
    return at < 0 || at % 2 === 1 ? flat : [...flat.slice(0, at), ...flat.slice(at + 2)];
  });

const uuid = fc.uuid().map((u) => u.toLowerCase());
const positive = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const message: fc.Arbitrary<StreamMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('bid' as const),
    receiptId: uuid,
    auctionId: uuid,
    buyerId: uuid,
    quantity: positive,
    unitPrice: positive,
    acceptedAt: positive,
  }),
  fc.record({
    kind: fc.constant('bid' as const),
    receiptId: uuid,
    auctionId: uuid,
    buyerId: uuid,
    quantity: positive,
    unitPrice: positive,
    acceptedAt: positive,
    idempotency: fc.record({
      key: fc.stringMatching(/^[\x21-\x7e]{1,255}$/),
      windowMs: positive,
    }),
  }),
  fc.record(
    {
      kind: fc.constant('english_bid' as const),
      receiptId: uuid,
      auctionId: uuid,
      buyerId: uuid,
      amount: positive,
      acceptedAt: positive,
      idempotency: fc.record({ key: fc.stringMatching(/^[\x21-\x7e]{1,255}$/), windowMs: positive }),
    },
    { requiredKeys: ['kind', 'receiptId', 'auctionId', 'buyerId', 'amount', 'acceptedAt'] },
  ),
  fc.record({ kind: fc.constant('close' as const), auctionId: uuid, closeFor: positive, requestedAt: positive }),
  fc.record({
    kind: fc.constant('refund' as const),
    receiptId: uuid,
    auctionId: uuid,
    buyerId: uuid,
    requestId: uuid,
    requestedAt: positive,
  }),
);

const aBid: BidMessage = {
  kind: 'bid',
  receiptId: '01900000-0000-7000-8000-000000000001',
  auctionId: '01900000-0000-7000-8000-000000000002',
  buyerId: '01900000-0000-7000-8000-000000000003',
  quantity: 2,
  unitPrice: 100,
  acceptedAt: 1_900_000_000_000,
};

describe('stream message codec', () => {
  it('decodes exactly what it encoded', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
      }),
    );
  });

  it('refuses anything it did not encode, naming what is wrong', () => {
    const fields = encodeMessage(aBid);
    expect(decodeMessage(replace(fields, 'quantity', '0'))).toMatchObject({
      ok: false,
      error: 'quantity is not a positive integer',
    });
    expect(decodeMessage(replace(fields, 'quantity', '1.5'))).toMatchObject({ ok: false });
    expect(decodeMessage(replace(fields, 'unitPrice', '1e3'))).toMatchObject({ ok: false });
    expect(decodeMessage(replace(fields, 'buyerId', 'nobody'))).toMatchObject({
      ok: false,
      error: 'buyerId is not a uuid',
    });
    expect(decodeMessage(replace(fields, 'kind', 'gift'))).toMatchObject({ ok: false, error: 'unknown kind "gift"' });
    expect(decodeMessage(['garbage'])).toMatchObject({ ok: false });
    expect(receiptIdOf(replace(fields, 'quantity', 'lots'))).toBe(aBid.receiptId);
    expect(receiptIdOf(['kind', 'bid'])).toBeNull();
  });

  it('packs a bid into one field beside its kind, and refuses a packing it did not write', () => {
    const fields = encodeMessage(aBid);
    expect(fields).toEqual(['kind', 'bid', 'packed', expect.any(String)]);
    const refused = { ok: false, error: 'packed is not a JSON object of strings, each a field of its own' };
    const packedAs = (value: string) => ['kind', 'bid', 'packed', value];
    expect(decodeMessage(packedAs('{"receiptId":'))).toEqual(refused);
    expect(decodeMessage(packedAs('["receiptId"]'))).toEqual(refused);
    expect(decodeMessage(packedAs('null'))).toEqual(refused);
    expect(decodeMessage(packedAs(JSON.stringify({ ...aBid, kind: undefined, quantity: 2 })))).toEqual(refused);
    expect(decodeMessage(packedAs(JSON.stringify({ kind: 'refund' })))).toEqual(refused);
    // The same field packed and outside: which one counts would be a guess.
    expect(decodeMessage([...fields, 'quantity', '3'])).toEqual(refused);
    expect(receiptIdOf(fields)).toBe(aBid.receiptId);
    expect(receiptIdOf(packedAs('{'))).toBeNull();
  });

  it('carries the Idempotency-Key and its window, and still decodes entries written without them', () => {
    const plain: BidMessage = {
      kind: 'bid',
      receiptId: '01900000-0000-7000-8000-000000000001',
      auctionId: '01900000-0000-7000-8000-000000000002',
      buyerId: '01900000-0000-7000-8000-000000000003',
      quantity: 1,
      unitPrice: 100,
      acceptedAt: 1_900_000_000_000,
    };
    // An entry an older gateway wrote: exactly these fields, no key.
    const old = ['kind', 'bid', 'receiptId', plain.receiptId, 'auctionId', plain.auctionId, 'buyerId', plain.buyerId];
    const decoded = decodeMessage([...old, 'quantity', '1', 'unitPrice', '100', 'acceptedAt', '1900000000000']);
    expect(decoded).toEqual({ ok: true, message: plain });
    expect(decoded.ok && decoded.message.kind === 'bid' && 'idempotency' in decoded.message).toBe(false);

    const keyed: BidMessage = { ...plain, idempotency: { key: 'order-42', windowMs: 86_400_000 } };
    const fields = encodeMessage(keyed);
    expect(JSON.parse(fields[3] as string)).toMatchObject({
      idempotencyKey: 'order-42',
      idempotencyWindowMs: '86400000',
    });
    expect(decodeMessage(fields)).toEqual({ ok: true, message: keyed });
    // Half a claim, or a key the gateway would have refused, is a poison entry, not a guess.
    expect(decodeMessage(without(fields, 'idempotencyWindowMs'))).toMatchObject({
      ok: false,
      error: 'idempotencyWindowMs is not a positive integer',
    });
    expect(decodeMessage(replace(fields, 'idempotencyKey', 'order 42'))).toMatchObject({
      ok: false,
      error: 'idempotencyKey is not a valid key',
    });
  });
});

describe('English bids and closes on the stream', () => {
  const english: EnglishBidMessage = {
    kind: 'english_bid',
    receiptId: '01900000-0000-7000-8000-000000000001',
    auctionId: '01900000-0000-7000-8000-000000000002',
    buyerId: '01900000-0000-7000-8000-000000000003',
    amount: 150,
    acceptedAt: 1_900_000_000_000,
  };
  const close: CloseMessage = {
    kind: 'close',
    auctionId: '01900000-0000-7000-8000-000000000002',
    closeFor: 1_900_000_060_000,
    requestedAt: 1_900_000_062_000,
  };

  it('refuses an English bid with a bad or missing amount, naming it', () => {
    const fields = encodeMessage(english);
    expect(decodeMessage(replace(fields, 'amount', '0'))).toEqual({
      ok: false,
      error: 'amount is not a positive integer',
    });
    expect(decodeMessage(replace(fields, 'amount', '12.5'))).toMatchObject({ ok: false });
    expect(decodeMessage(without(fields, 'amount'))).toEqual({ ok: false, error: 'amount is not a positive integer' });
    // A Dutch bid's fields on an English entry are not an amount.
    const dutchish = edit(without(fields, 'amount'), (flat) =>
      flat.includes('receiptId') ? [...flat, 'quantity', '1', 'unitPrice', '150'] : flat,
    );
    expect(decodeMessage(dutchish)).toMatchObject({ ok: false });
    expect(receiptIdOf(replace(fields, 'amount', 'x'))).toBe(english.receiptId);
  });

  it('refuses a close without its end, auction or request time', () => {
    const fields = encodeMessage(close);
    expect(decodeMessage(without(fields, 'closeFor'))).toEqual({
      ok: false,
      error: 'closeFor is not a positive integer',
    });
    expect(decodeMessage(replace(fields, 'auctionId', 'all'))).toEqual({ ok: false, error: 'auctionId is not a uuid' });
    expect(decodeMessage(replace(fields, 'requestedAt', '-1'))).toMatchObject({ ok: false });
    expect(receiptIdOf(fields)).toBeNull();
  });
});
