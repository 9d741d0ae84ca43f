import { describe, expect, it } from 'vitest';
import { type ChannelEvent, decodeEvent, encodeEvent } from './events.ts';

const auctionId = '01900000-0000-7000-8000-000000000002';
const lead: ChannelEvent = {
  type: 'lead',
  auctionId,
  highBid: 150,
  bidCount: 3,
  leaderId: '01900000-0000-7000-8000-000000000003',
  endsAt: 1_900_000_060_000,
};
const closedEnglish: ChannelEvent = {
  type: 'closed',
  auctionId,
  status: 'ended',
  closedAt: 1_900_000_062_000,
  winnerId: '01900000-0000-7000-8000-000000000003',
  finalPrice: 150,
  clearingPrice: null,
};
const closedUniform: ChannelEvent = {
  type: 'closed',
  auctionId,
  status: 'sold_out',
  closedAt: 1_900_000_062_000,
  winnerId: null,
  finalPrice: null,
  clearingPrice: 80,
};

describe('channel events', () => {
  it('decodes what it encoded, every kind', () => {
    const events: ChannelEvent[] = [
      { type: 'stock', auctionId, stock: 4, soldCount: 6 },
      { type: 'changed', auctionId },
      { type: 'token-revoked', tokenId: 't1' },
      { type: 'credit', memberId: 'm1', amount: 40 },
      lead,
      closedEnglish,
      closedUniform,
    ];
    for (const event of events) expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('refuses a lead missing a field or carrying a wrong type', () => {
    const json = (over: Record<string, unknown>) => JSON.stringify({ ...lead, ...over });
    expect(decodeEvent(json({ highBid: '150' }))).toBeNull();
    expect(decodeEvent(json({ highBid: 150.5 }))).toBeNull();
    expect(decodeEvent(json({ endsAt: null }))).toBeNull();
    expect(decodeEvent(json({ leaderId: undefined }))).toBeNull();
    expect(decodeEvent(json({ bidCount: undefined }))).toBeNull();
  });

  it('refuses a closed event with an unknown status or a wrong type, and takes nulls where allowed', () => {
    const json = (over: Record<string, unknown>) => JSON.stringify({ ...closedEnglish, ...over });
    expect(decodeEvent(json({ status: 'running' }))).toBeNull();
    expect(decodeEvent(json({ closedAt: undefined }))).toBeNull();
    expect(decodeEvent(json({ finalPrice: '150' }))).toBeNull();
    expect(decodeEvent(json({ winnerId: 7 }))).toBeNull();
    expect(decodeEvent(json({ clearingPrice: undefined }))).toBeNull();
    expect(decodeEvent(json({ winnerId: null, finalPrice: null }))).toMatchObject({ winnerId: null, finalPrice: null });
  });

  it('refuses what is not an event at all', () => {
    for (const payload of ['', 'null', '[]', '42', '{"type":"gift"}', '{bad json']) {
      expect(decodeEvent(payload)).toBeNull();
    }
  });
});
