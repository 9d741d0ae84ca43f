import { encodeMessage } from './message.ts';
import type { RedisClient } from './redis.ts';

/**
 * Appends an auction's close entry to its shard's stream, and records it in the closing key
 * (KEYS: stream, closing; ARGV: closeFor, now, reappendAfterMs, ttlMs, guard, stream fields...).
 *
 * The closing key holds "<closeFor>:<appendedAt>". It does two jobs:
 * - the bid script refuses a bid stamped before closeFor (the close is already queued ahead of
 *   it), so no bid accepted before an end lands behind that end's close;
 * - the closer, which looks every few hundred ms, does not append the same close again while an
 *   earlier entry for this end (or a later one) is young: one entry per end, not one per look.
 *   An older one is appended again, in case it was lost (a Redis restart) or a stalled consumer
 *   sits on it; duplicates are acked by the consumer as such.
 *
 * A Dutch sell-out close is unguarded (guard '0'): it records closeFor 0, which refuses no bid
 * (bids after a sell-out settle FAILED SOLD_OUT), yet still counts as "appended recently" for
 * the next unguarded append. A guarded record is never lowered.
 */
const APPEND_CLOSE = `
local closeFor = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local guarded = ARGV[5] == '1'
local recordedFor = -1
local recordedAt = 0
local current = redis.call('GET', KEYS[2])
if current then
  local cut = string.find(current, ':', 1, true)
  if cut then
    recordedFor = tonumber(string.sub(current, 1, cut - 1)) or -1
    recordedAt = tonumber(string.sub(current, cut + 1)) or 0
  end
end
local wanted = guarded and closeFor or 0
if recordedFor >= wanted and now - recordedAt < tonumber(ARGV[3]) then return 0 end
redis.call('XADD', KEYS[1], '*', unpack(ARGV, 6))
if recordedFor <= wanted then
  redis.call('SET', KEYS[2], (guarded and ARGV[1] or '0') .. ':' .. ARGV[2], 'PX', ARGV[4])
end
return 1
`;

export interface AppendCloseKeys {
  readonly stream: string;
  readonly closing: string;
}

export interface AppendCloseArgs {
  readonly auctionId: string;
  /** Epoch ms: the end the entry closes at (CloseMessage.closeFor). */
  readonly closeFor: number;
  /** Epoch ms, the appender's clock. */
  readonly now: number;
  /** An entry for this end younger than this is not appended again. */
  readonly reappendAfterMs: number;
  /** How long the closing key lives (it only needs to outlive the close's settlement). */
  readonly ttlMs: number;
  /**
   * Whether bids stamped before closeFor are refused from now on: true for a close at the end,
   * false for a Dutch sell-out (closeFor is then the scheduled end, still ahead).
   */
  readonly guardBids: boolean;
}

type Command = (...keysAndArgs: (string | number)[]) => Promise<number>;

/** Defines the close script on this connection (idempotent); connectRedis() does it for every client. */
export function defineAppendClose(redis: RedisClient): void {
  if (!('appendClose' in redis)) redis.defineCommand('appendClose', { numberOfKeys: 2, lua: APPEND_CLOSE });
}

function appendCloseCommand(redis: RedisClient): { appendClose: Command } {
  defineAppendClose(redis);
  return redis as unknown as { appendClose: Command };
}

/**
 * Appends a CloseMessage for `closeFor` (requestedAt = now) unless one for this end, or a later
 * one, was appended less than reappendAfterMs ago; whether it appended.
 */
export async function appendClose(redis: RedisClient, keys: AppendCloseKeys, args: AppendCloseArgs): Promise<boolean> {
  const { auctionId, closeFor, now } = args;
  const fields = encodeMessage({ kind: 'close', auctionId, closeFor, requestedAt: now });
  const argv = [closeFor, now, args.reappendAfterMs, args.ttlMs, args.guardBids ? '1' : '0', ...fields];
  return (await appendCloseCommand(redis).appendClose(keys.stream, keys.closing, ...argv)) === 1;
}
