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

describe('stream message codec', () => {
  it('decodes exactly what it encoded', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
      }),
    );
  });

  it('refuses anything it did not encode, naming what is wrong', () => {
    const good: BidMessage = {
      kind: 'bid',
      receiptId: '01900000-0000-7000-8000-000000000001',
      auctionId: '01900000-0000-7000-8000-000000000002',
      buyerId: '01900000-0000-7000-8000-000000000003',
      quantity: 2,
      unitPrice: 100,
      acceptedAt: 1_900_000_000_000,
    };
    const fields = encodeMessage(good);
    const replace = (name: string, value: string) =>
      fields.map((f, i) => (i > 0 && fields[i - 1] === name ? value : f));
    expect(decodeMessage(replace('quantity', '0'))).toMatchObject({
      ok: false,
      error: 'quantity is not a positive integer',
    });
    expect(decodeMessage(replace('quantity', '1.5'))).toMatchObject({ ok: false });
    expect(decodeMessage(replace('unitPrice', '1e3'))).toMatchObject({ ok: false });
    expect(decodeMessage(replace('buyerId', 'nobody'))).toMatchObject({ ok: false, error: 'buyerId is not a uuid' });
    expect(decodeMessage(replace('kind', 'gift'))).toMatchObject({ ok: false, error: 'unknown kind "gift"' });
    expect(decodeMessage(['garbage'])).toMatchObject({ ok: false });
    expect(receiptIdOf(replace('quantity', 'lots'))).toBe(good.receiptId);
    expect(receiptIdOf(['kind', 'bid'])).toBeNull();
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
    expect(fields).toEqual(expect.arrayContaining(['idempotencyKey', 'order-42', 'idempotencyWindowMs', '86400000']));
    expect(decodeMessage(fields)).toEqual({ ok: true, message: keyed });
    // Half a claim, or a key the gateway would have refused, is a poison entry, not a guess.
    expect(decodeMessage(fields.slice(0, -2))).toMatchObject({
      ok: false,
      error: 'idempotencyWindowMs is not a positive integer',
    });
    const spaced = fields.map((f) => (f === 'order-42' ? 'order 42' : f));
    expect(decodeMessage(spaced)).toMatchObject({ ok: false, error: 'idempotencyKey is not a valid key' });
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
  const replace = (fields: string[], name: string, value: string) =>
    fields.map((f, i) => (i > 0 && fields[i - 1] === name ? value : f));
  const without = (fields: string[], name: string) => {
    const at = fields.indexOf(name);
    return [...fields.slice(0, at), ...fields.slice(at + 2)];
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
    const dutchish = [...without(fields, 'amount'), 'quantity', '1', 'unitPrice', '150'];
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
