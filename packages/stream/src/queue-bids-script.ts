import type { ChainableCommander } from 'ioredis';
import type { QueueBidArgs, QueueBidKeys } from './queue-bid-script.ts';
import type { RedisClient } from './redis.ts';

/**
 * QUEUE_BID (queue-bid-script.ts, whose comment says what each check means) for N bids of ONE
 * shard in one script call: the gateway pays one round trip and one script run per shard per
 * event-loop turn instead of one per bid. The idempotency record is the one QUEUE_BID writes
 * (encodeIdempotencyRecord: "<fingerprint>\n<answer>").
 *
 * Bids run one after the other, in the order given, each as if it were its own QUEUE_BID call:
 * a second bid with the same buyer and Idempotency-Key meets the claim or replay record the
 * first one wrote just before it, and replays its answer or is refused as reused.
 *
 * Each bid runs under pcall, so a command that fails answers 'error' (with Redis's message) for
 * that bid alone, and the bids after it go on. Its writes come after every check, XADD first: a
 * failure before the XADD wrote nothing for the bid. A failure after it (the pending receipt's
 * HSET or the key's SET refused) leaves a bid that IS in the stream and will settle, answered
 * 'error': its receipt does not read PENDING until it settles, and its Idempotency-Key is not
 * taken, so a retry with that key is queued again and settlement, which keeps the key with the
 * first receipt, fails the retry as DUPLICATE_REQUEST; a retry without a key is a second bid.
 * QUEUE_BID wrote the claim before its XADD instead, which on a failed XADD would have replayed
 * an answer for a bid never queued.
 *
 * On a Redis Cluster every key must be in the shard's slot: the claim key (the buyer's slot)
 * exists only in mode 'K', on a single Redis; other modes pass the bid's replay key in its place.
 *
 * KEYS: stream, pending receipts (hash), then per bid: replay record, closing, claim
 * ARGV per bid: mode, receipt id, pending receipt JSON, fingerprint, answer JSON, key TTL (s),
 *       acceptedAt (epoch ms), field count, stream fields...
 * Returns outcome, value for each bid in order: queued (stream id), replay (earlier answer JSON),
 * reused, late, or error (the message).
 */
const QUEUE_BIDS = `
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
  local closing = redis.call('GET', KEYS[k + 1])
  if closing then
    local closeFor = tonumber(string.match(closing, '^(%d+)'))
    if closeFor and closeFor > tonumber(ARGV[a + 6]) then return 'late', '' end
  end
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

export type QueueOutcome = 'queued' | 'replay' | 'reused' | 'late' | 'error';

/** What every bid of one shard's batch shares. */
export type QueueBidsShardKeys = Pick<QueueBidKeys, 'stream' | 'pendingReceipts'>;

/** One bid of a batch: its own keys (claim in mode 'K' only) and QUEUE_BID's arguments. */
export interface BatchedBid {
  readonly keys: Omit<QueueBidKeys, 'stream' | 'pendingReceipts'>;
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
    if (args.mode === 'K' && own.claim === undefined) throw new Error("queueBids: a mode 'K' bid needs its claim key");
    keys.push(own.replay, own.closing, args.mode === 'K' ? (own.claim ?? '') : own.replay);
    const { mode, receiptId, pendingJson, fingerprint, answerJson, keyTtlSeconds, acceptedAt, fields } = args;
    argv.push(mode, receiptId, pendingJson, fingerprint, answerJson, keyTtlSeconds, acceptedAt, fields.length);
    for (const field of fields) argv.push(field);
  }
  const call = [keys.length, ...keys, ...argv];
  const reply = redis.isCluster
    ? await sendAlone(redis, call)
    : await (redis as unknown as Commands<Promise<string[]>>).queueBids(...call);
  return Array.from({ length: reply.length / 2 }, (_, i) => [reply[2 * i] as QueueOutcome, reply[2 * i + 1] ?? '']);
}

/**
 * ioredis's auto-pipelining picks a script call's node on a cluster by its first argument, here
 * the key count, not a key: it would send the call to the wrong node, or into a pipeline with
 * other slots' calls. A pipeline of the call's own is sent where its keys are.
 */
async function sendAlone(redis: RedisClient, call: (string | number)[]): Promise<string[]> {
  const [result] =
    (await (redis.pipeline() as unknown as Commands<ChainableCommander>).queueBids(...call).exec()) ?? [];
  if (result?.[0]) throw result[0];
  return (result?.[1] ?? []) as string[];
}
