/**
 * What travels on the events channel. Consumers publish stock, leads and closes after each
 * commit; gateways publish definition changes so every gateway drops its cached copy. A `credit`
 * (points a member gains: a charge, a sale, a refund, a rebate, a release of held points) is
 * published BEFORE its transaction commits, with the member's row locked, so a gateway's upper
 * bound of their points never misses it. A `notify` names members with new notifications.
 */
export type AuctionEvent =
  | { readonly type: 'stock'; readonly auctionId: string; readonly stock: number; readonly soldCount: number }
  | { readonly type: 'changed'; readonly auctionId: string }
  | { readonly type: 'token-revoked'; readonly tokenId: string }
  | LeadEvent
  | ClosedEvent;

/**
 * An English auction's lead after a settled run with a leading bid. Events can arrive out of
 * order across runs, so a gateway merges them monotonically: never a lower highBid, never an
 * earlier endsAt.
 */
export interface LeadEvent {
  readonly type: 'lead';
  readonly auctionId: string;
  readonly highBid: number;
  readonly bidCount: number;
  readonly leaderId: string;
  /** Epoch ms: the current end, extensions included. */
  readonly endsAt: number;
}

/** An auction closed (once). English: winnerId/finalPrice; uniform Dutch: clearingPrice; else null. */
export interface ClosedEvent {
  readonly type: 'closed';
  readonly auctionId: string;
  readonly status: 'ended' | 'sold_out';
  /** Epoch ms. */
  readonly closedAt: number;
  readonly winnerId: string | null;
  readonly finalPrice: number | null;
  readonly clearingPrice: number | null;
}

/** Points a member gained; only the gateway's points bounds care, not the live feeds. */
export interface CreditEvent {
  readonly type: 'credit';
  readonly memberId: string;
  readonly amount: number;
}

/**
 * Members who have new notifications in their inbox (Postgres), published after the commit that
 * stored them. Only a nudge: a gateway re-reads the inbox after the last id it sent, so a lost or
 * repeated event costs nothing but latency, and a member's SSE reconnect reads the inbox anyway.
 */
export interface NotifyEvent {
  readonly type: 'notify';
  /** 1..MAX_NOTIFY_MEMBERS member ids, each once. */
  readonly memberIds: readonly string[];
}

/** Member ids per notify event: a price alert for 10,000 watchers goes out as ten events, not one huge one. */
export const MAX_NOTIFY_MEMBERS = 1_000;

/** The notify events for these members (each named once), in chunks of at most MAX_NOTIFY_MEMBERS. */
export function notifyEventsOf(memberIds: Iterable<string>): NotifyEvent[] {
  const unique = [...new Set(memberIds)];
  const events: NotifyEvent[] = [];
  for (let i = 0; i < unique.length; i += MAX_NOTIFY_MEMBERS) {
    events.push({ type: 'notify', memberIds: unique.slice(i, i + MAX_NOTIFY_MEMBERS) });
  }
  return events;
}

export type ChannelEvent = AuctionEvent | CreditEvent | NotifyEvent;

export function encodeEvent(event: ChannelEvent): string {
  return JSON.stringify(event);
}

type Fields = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isStringOrNull = (v: unknown): v is string | null => v === null || isString(v);
const isIntOrNull = (v: unknown): v is number | null => v === null || isInt(v);

function decodeLead(v: Fields): LeadEvent | null {
  const { auctionId, highBid, bidCount, leaderId, endsAt } = v;
  if (!isString(auctionId) || !isInt(highBid) || !isInt(bidCount) || !isString(leaderId) || !isInt(endsAt)) {
    return null;
  }
  return { type: 'lead', auctionId, highBid, bidCount, leaderId, endsAt };
}

function decodeClosed(v: Fields): ClosedEvent | null {
  const { auctionId, status, closedAt, winnerId, finalPrice, clearingPrice } = v;
  if (!isString(auctionId) || (status !== 'ended' && status !== 'sold_out') || !isInt(closedAt)) return null;
  if (!isStringOrNull(winnerId) || !isIntOrNull(finalPrice) || !isIntOrNull(clearingPrice)) return null;
  return { type: 'closed', auctionId, status, closedAt, winnerId, finalPrice, clearingPrice };
}

/** Strict: a non-empty list of non-empty strings, no more than MAX_NOTIFY_MEMBERS, none twice. */
function decodeNotify(v: Fields): NotifyEvent | null {
  const { memberIds } = v;
  if (!Array.isArray(memberIds) || memberIds.length === 0 || memberIds.length > MAX_NOTIFY_MEMBERS) return null;
  if (!memberIds.every((id) => isString(id) && id.length > 0)) return null;
  if (new Set(memberIds).size !== memberIds.length) return null;
  return { type: 'notify', memberIds: memberIds as string[] };
}

function decodeFields(v: Fields): ChannelEvent | null {
  switch (v.type) {
    case 'stock':
      return isString(v.auctionId) && typeof v.stock === 'number'
        ? { type: 'stock', auctionId: v.auctionId, stock: v.stock, soldCount: Number(v.soldCount) }
        : null;
    case 'changed':
      return isString(v.auctionId) ? { type: 'changed', auctionId: v.auctionId } : null;
    case 'token-revoked':
      return isString(v.tokenId) ? { type: 'token-revoked', tokenId: v.tokenId } : null;
    case 'credit':
      return isString(v.memberId) && typeof v.amount === 'number'
        ? { type: 'credit', memberId: v.memberId, amount: v.amount }
        : null;
    case 'lead':
      return decodeLead(v);
    case 'closed':
      return decodeClosed(v);
    case 'notify':
      return decodeNotify(v);
    default:
      return null;
  }
}

/** The event a payload carries, or null for anything malformed (a feed never guesses). */
export function decodeEvent(payload: string): ChannelEvent | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    return decodeFields(value as Fields);
  } catch {
    return null;
  }
}
