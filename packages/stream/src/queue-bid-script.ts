import type { RedisClient } from './redis.ts';

/**
 * The idempotency record's wire format, in one file: QUEUE_BID below writes it in Lua
 * (ARGV[4] .. '\\n' .. ARGV[5]), encodeIdempotencyRecord and decodeIdempotencyRecord read and
 * write the same text in TypeScript.
 *
 * On a single Redis the buyer's claim on an Idempotency-Key also holds the first answer:
 * "<request fingerprint>\n<answer JSON>". On a Redis Cluster the claim holds the fingerprint
 * alone and the answer is the shard's replay record.
 */
const RECORD_SEPARATOR = '\n';

export function encodeIdempotencyRecord(fingerprint: string, answerJson: string): string {
  return `${fingerprint}${RECORD_SEPARATOR}${answerJson}`;
}

export function decodeIdempotencyRecord(record: string): { fingerprint: string; answerJson: string | null } {
  const cut = record.indexOf(RECORD_SEPARATOR);
  return cut < 0
    ? { fingerprint: record, answerJson: null }
    : { fingerprint: record.slice(0, cut), answerJson: record.slice(cut + 1) };
}

/**
 * One round trip, atomically: take the Idempotency-Key (replaying the first answer given for
 * it, or refusing its reuse for another request), refuse a bid that would land behind its
 * auction's close, append the bid to its shard's stream, and keep the receipt readable as
 * PENDING until it settles. Every command here is paid for on every bid, by the Redis that all
 * gateways share, so there are as few as can be: a field in the shard's hash of pending
 * receipts (lists find a member's there too), no key of its own.
 *
 * Where the key's record lives depends on the deployment:
 * - mode 'K' (a single Redis): KEYS[5], the buyer's claim on the key, holds
 *   "<fingerprint>\n<answer>" and is taken here, in the same script;
 * - mode 'R' (a Redis Cluster, where the claim's slot is the buyer's, not the shard's): the
 *   caller has claimed the key (fingerprint only) and the answer is kept in KEYS[3], the
 *   shard's replay record;
 * - mode '0': no key.
 *
 * The closing key (KEYS[4], "<closeFor>:<appendedAt>", set by appendClose in the same slot)
 * says a close for closeFor is already in the stream. A bid stamped before closeFor would settle
 * after that close, which must never happen, so it is refused ('late') and nothing is written:
 * no claim, no entry, no receipt. A replay is answered first: that bid was queued in time. The
 * closer appends only after end + grace by its clock, so only a gateway stalled longer than the
 * grace (or with a skewed clock) ever meets 'late'. A bid stamped at or after closeFor is queued
 * and settles FAILED AUCTION_NOT_RUNNING, or leads if the close was premature (an English end moved).
 *
 * KEYS: stream, pending receipts (hash), replay record, closing[, claim]
 * ARGV: mode, receipt id, pending receipt JSON, fingerprint, answer JSON, key TTL (s),
 *       acceptedAt (epoch ms), stream fields...
 */
const QUEUE_BID = `
local mode = ARGV[1]
if mode == 'K' then
  local previous = redis.call('GET', KEYS[5])
  if previous then
    local cut = string.find(previous, '\\n', 1, true)
    if cut and string.sub(previous, 1, cut - 1) == ARGV[4] then return {'replay', string.sub(previous, cut + 1)} end
    return {'reused', ''}
  end
elseif mode == 'R' then
  local previous = redis.call('GET', KEYS[3])
  if previous then return {'replay', previous} end
end
local closing = redis.call('GET', KEYS[4])
if closing then
  local closeFor = tonumber(string.match(closing, '^(%d+)'))
  if closeFor and closeFor > tonumber(ARGV[7]) then return {'late', ''} end
end
if mode == 'K' then
  redis.call('SET', KEYS[5], ARGV[4] .. '\\n' .. ARGV[5], 'EX', ARGV[6])
elseif mode == 'R' then
  redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6])
end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 8))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return {'queued', id}
`;

export type QueueMode = '0' | 'K' | 'R';

export interface QueueBidKeys {
  readonly stream: string;
  readonly pendingReceipts: string;
  readonly replay: string;
  /** The auction's closing key (closingKey): set once its close is in the stream. */
  readonly closing: string;
  /** Mode 'K' only: the buyer's claim on the Idempotency-Key (the buyer's slot). */
  readonly claim?: string;
}

export interface QueueBidArgs {
  readonly mode: QueueMode;
  readonly receiptId: string;
  readonly pendingJson: string;
  readonly fingerprint: string;
  readonly answerJson: string;
  readonly keyTtlSeconds: number;
  /** Epoch ms, the gateway's clock: a bid stamped before a queued close is 'late'. */
  readonly acceptedAt: number;
  readonly fields: readonly string[];
}

type Command = (...keysAndArgs: (string | number)[]) => Promise<[string, string]>;

/** Defines the bid script on this connection (idempotent): once per connection, before queueBid. */
export function defineQueueBid(redis: RedisClient): void {
  if ('queueBid' in redis) return;
  redis.defineCommand('queueBid', { numberOfKeys: 4, lua: QUEUE_BID });
  redis.defineCommand('queueBidClaiming', { numberOfKeys: 5, lua: QUEUE_BID });
}

/**
 * Returns ['queued', stream id], ['replay', earlier answer JSON], ['reused', ''] or ['late', '']
 * (the auction's close is queued ahead of a bid stamped before it: nothing was written).
 */
export function queueBid(redis: RedisClient, keys: QueueBidKeys, args: QueueBidArgs): Promise<[string, string]> {
  const commands = redis as unknown as { queueBid: Command; queueBidClaiming: Command };
  const argv = [
    args.mode,
    args.receiptId,
    args.pendingJson,
    args.fingerprint,
    args.answerJson,
    args.keyTtlSeconds,
    args.acceptedAt,
    ...args.fields,
  ];
  const shardKeys = [keys.stream, keys.pendingReceipts, keys.replay, keys.closing];
  return keys.claim === undefined
    ? commands.queueBid(...shardKeys, ...argv)
    : commands.queueBidClaiming(...shardKeys, keys.claim, ...argv);
}
