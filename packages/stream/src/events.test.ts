import { describe, expect, it } from 'vitest';
import { type ChannelEvent, decodeEvent, encodeEvent, MAX_NOTIFY_MEMBERS, notifyEventsOf } from './events.ts';

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
      { type: 'notify', memberIds: ['m1', 'm2'] },
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

  it('refuses a notify event that is empty, too long, repeats a member or names a non-string', () => {
    const json = (memberIds: unknown) => JSON.stringify({ type: 'notify', memberIds });
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);
    expect(decodeEvent(json(ids(MAX_NOTIFY_MEMBERS)))).toEqual({ type: 'notify', memberIds: ids(MAX_NOTIFY_MEMBERS) });
    for (const bad of [[], ids(MAX_NOTIFY_MEMBERS + 1), ['m1', 'm1'], ['m1', 7], [''], [null], 'm1', null, undefined]) {
      expect(decodeEvent(json(bad))).toBeNull();
    }
  });

  it('chunks notify events at MAX_NOTIFY_MEMBERS, each member once, and none for nobody', () => {
    expect(notifyEventsOf([])).toEqual([]);
    expect(notifyEventsOf(['a', 'b', 'a'])).toEqual([{ type: 'notify', memberIds: ['a', 'b'] }]);
    const many = Array.from({ length: 2_500 }, (_, i) => `m${i}`);
    const events = notifyEventsOf([...many, ...many]);
    expect(events.map((e) => e.memberIds.length)).toEqual([1_000, 1_000, 500]);
    expect(events.flatMap((e) => e.memberIds)).toEqual(many);
    for (const event of events) expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('refuses what is not an event at all', () => {
    for (const payload of ['', 'null', '[]', '42', '{"type":"gift"}', '{bad json']) {
      expect(decodeEvent(payload)).toBeNull();
    }
  });
});
