import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BidMessage, decodeMessage, encodeMessage, receiptIdOf, type StreamMessage } from './message.ts';

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
