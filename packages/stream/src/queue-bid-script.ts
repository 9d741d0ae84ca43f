import type { RedisClient } from './redis.ts';

/**
 * The idempotency record's wire format, in one file: QUEUE_BIDS below writes it in Lua
 * (fingerprint .. '\\n' .. answer), encodeIdempotencyRecord and decodeIdempotencyRecord read and
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
 * The bid script: for the bids of ONE shard (all a gateway took for it in an event-loop turn), in
 * one call and atomically, each bid in the order given: take its Idempotency-Key (replaying the
 * first answer given for it, or refusing its reuse for another request), refuse a bid that would
 * land behind its auction's close, append it to the shard's stream, and keep its receipt readable
 * as PENDING until it settles. Every command here is paid for on every bid, by the Redis that all
 * gateways share, so there are as few as can be: a field in the shard's hash of pending receipts
 * (lists find a member's there too), no key of its own. A second bid of the batch with the same
 * buyer and key meets the record the first one wrote just before it, as if sent after it.
 *
 * Where the key's record lives depends on the deployment:
 * - mode 'K' (a single Redis): the buyer's claim on the key holds "<fingerprint>\n<answer>" and is
 *   taken here, in the same script;
 * - mode 'R' (a Redis Cluster, where the claim's slot is the buyer's, not the shard's): the caller
 *   has claimed the key (fingerprint only) and the answer is kept in the shard's replay record;
 * - mode '0': no key.
 * On a cluster every key of the call must be in the shard's slot, so modes other than 'K' pass the
 * bid's replay key in the claim's place.
 *
 * The closing key ("<closeFor>:<appendedAt>", set by appendClose in the same slot) says a close
 * for closeFor is already in the stream. A bid stamped before closeFor would settle after that
 * close, which must never happen, so it is refused ('late') and nothing is written: no claim, no
 * entry, no receipt. A replay is answered first: that bid was queued in time. The closer appends
 * only after end + grace by its clock, so only a gateway stalled longer than the grace (or with a
 * skewed clock) ever meets 'late'. A bid stamped at or after closeFor is queued and settles FAILED
 * AUCTION_NOT_RUNNING, or leads if the close was premature (an English end moved).
 *
 * Each bid runs under pcall, so a command that fails answers 'error' (with Redis's message) for
 * that bid alone, and the bids after it go on. Its writes come after every check, XADD first: a
 * failure before the XADD wrote nothing for the bid. A failure after it (the pending receipt's
 * HSET or the key's SET refused) leaves a bid that IS in the stream and will settle, answered
 * 'error': its receipt does not read PENDING until it settles, and its Idempotency-Key is not
 * taken, so a retry with that key is queued again and settlement, which keeps the key with the
 * first receipt, fails the retry as DUPLICATE_REQUEST; a retry without a key is a second bid.
 *
 * KEYS: stream, pending receipts (hash), then per bid: replay record, closing, claim
 * ARGV per bid: mode, receipt id, pending receipt JSON, fingerprint, answer JSON, key TTL (s),
 *       acceptedAt (epoch ms), field count, stream fields...
 * Returns outcome, value for each bid in order: queued (stream id), replay (earlier answer JSON),
 * reused, late (nothing written), or error (the message).
 */
const QUEUE_BIDS = `
-- Each auction's close time (false: none queued), read once per call: a batch is mostly one
-- auction's bids, and nothing can append a close during the script.
local closings = {}

local function queue(k, a, fieldCount)
  local mode, replay, claim = ARGV[a], KEYS[k], KEYS[k + 2]
  if mode == 'K' then
    local previous = redis.call('GET', claim)
    if previous then
      local cut = string.find(previous, '\\n', 1, true)
      if cut and string.sub(previous, 1, cut - 1) == ARGV[a + 3] then return 'replay', string.sub(previous, cut + 1) end
      return 'reused', ''
    end
  elseif mode == 'R' then
    local previous = redis.call('GET', replay)
    if previous then return 'replay', previous end
  end
  local closeFor = closings[KEYS[k + 1]]
  if closeFor == nil then
    local closing = redis.call('GET', KEYS[k + 1])
    closeFor = closing and tonumber(string.match(closing, '^(%d+)')) or false
    closings[KEYS[k + 1]] = closeFor
  end
  if closeFor and closeFor > tonumber(ARGV[a + 6]) then return 'late', '' end
  local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, a + 8, a + 7 + fieldCount))
  redis.call('HSET', KEYS[2], ARGV[a + 1], ARGV[a + 2])
  if mode == 'K' then
    redis.call('SET', claim, ARGV[a + 3] .. '\\n' .. ARGV[a + 4], 'EX', ARGV[a + 5])
  elseif mode == 'R' then
    redis.call('SET', replay, ARGV[a + 4], 'EX', ARGV[a + 5])
  end
  return 'queued', id
end

local results = {}
local a = 1
for k = 3, #KEYS, 3 do
  local fieldCount = tonumber(ARGV[a + 7])
  local ok, outcome, value = pcall(queue, k, a, fieldCount)
  if not ok then
    value = type(outcome) == 'table' and outcome.err or tostring(outcome)
    outcome = 'error'
  end
  results[#results + 1] = outcome
  results[#results + 1] = value
  a = a + 8 + fieldCount
end
return results
`;

export type QueueMode = '0' | 'K' | 'R';

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

export type QueueOutcome = 'queued' | 'replay' | 'reused' | 'late' | 'error';

/** What every bid of one shard's batch shares. */
export interface QueueBidsShardKeys {
  readonly stream: string;
  readonly pendingReceipts: string;
}

/** One bid of a batch: its own keys and its arguments. */
export interface BatchedBid {
  readonly keys: {
    readonly replay: string;
    /** The auction's closing key (closingKey): set once its close is in the stream. */
    readonly closing: string;
    /** Mode 'K' only: the buyer's claim on the Idempotency-Key (the buyer's slot). */
    readonly claim?: string;
  };
  readonly args: QueueBidArgs;
}

/** The script's call: its key count first, then the keys, then the arguments. */
type Commands<T> = { queueBids(...numKeysKeysAndArgs: (string | number)[]): T };

/**
 * Defines the batch script on this connection (idempotent): once per connection, before any
 * queueBids. Its key count varies with the batch, so it is passed first at each call.
 */
export function defineQueueBids(redis: RedisClient): void {
  if ('queueBids' in redis) return;
  redis.defineCommand('queueBids', { lua: QUEUE_BIDS });
}

/**
 * Queues `bids`, all of one shard, in one script call; resolves one [outcome, value] per bid in
 * order. Rejects (for the whole batch) only when the script itself could not run.
 */
export async function queueBids(
  redis: RedisClient,
  shardKeys: QueueBidsShardKeys,
  bids: readonly BatchedBid[],
): Promise<[QueueOutcome, string][]> {
  const keys: string[] = [shardKeys.stream, shardKeys.pendingReceipts];
  const argv: (string | number)[] = [];
  for (const { keys: own, args } of bids) {
    const claim = args.mode === 'K' ? own.claim : own.replay;
    if (claim === undefined) throw new Error("queueBids: a mode 'K' bid needs its claim key");
    keys.push(own.replay, own.closing, claim);
    const { mode, receiptId, pendingJson, fingerprint, answerJson, keyTtlSeconds, acceptedAt, fields } = args;
    argv.push(mode, receiptId, pendingJson, fingerprint, answerJson, keyTtlSeconds, acceptedAt, fields.length);
    for (const field of fields) argv.push(field);
  }
  // On a cluster, sent alone by its keys (redis.ts: never auto-pipelined).
  const reply = await (redis as unknown as Commands<Promise<string[]>>).queueBids(keys.length, ...keys, ...argv);
  return Array.from({ length: reply.length / 2 }, (_, i) => [reply[2 * i] as QueueOutcome, reply[2 * i + 1] ?? '']);
}
