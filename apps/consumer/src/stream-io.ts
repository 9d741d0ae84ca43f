import { CONSUMER_GROUP, type RedisClient } from '@dutch/stream';

/** A raw stream entry; fields are null when the entry was deleted while still pending. */
export interface RawEntry {
  readonly id: string;
  readonly fields: string[] | null;
}

type ReadReply = [string, [string, string[] | null][]][] | null;

/** Creates the group (from the start of the stream) if it does not exist; creates the stream too. */
export async function ensureGroup(redis: RedisClient, key: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
  }
}

/** Reads entries never delivered to anyone (`>`), waiting up to blockMs when blockMs > 0. */
export async function readNew(
  redis: RedisClient,
  key: string,
  consumer: string,
  count: number,
  blockMs: number,
): Promise<RawEntry[]> {
  const reply = (await (blockMs > 0
    ? redis.xreadgroup('GROUP', CONSUMER_GROUP, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', key, '>')
    : redis.xreadgroup('GROUP', CONSUMER_GROUP, consumer, 'COUNT', count, 'STREAMS', key, '>'))) as ReadReply;
  return toEntries(reply);
}

/** Reads this consumer's own pending entries with ids after `afterId`, oldest first. */
export async function readOwnPending(
  redis: RedisClient,
  key: string,
  consumer: string,
  count: number,
  afterId: string,
): Promise<RawEntry[]> {
  const reply = (await redis.xreadgroup(
    'GROUP',
    CONSUMER_GROUP,
    consumer,
    'COUNT',
    count,
    'STREAMS',
    key,
    afterId,
  )) as ReadReply;
  return toEntries(reply);
}

function toEntries(reply: ReadReply): RawEntry[] {
  const stream = reply?.[0];
  if (stream === undefined) return [];
  return stream[1].map(([id, fields]) => ({ id, fields }));
}

/**
 * Moves every entry pending at other consumers (idle at least minIdleMs) to `consumer`.
 * JUSTID: ownership moves without counting a delivery; the read that follows counts one.
 */
export async function claimPending(
  redis: RedisClient,
  key: string,
  consumer: string,
  minIdleMs: number,
): Promise<number> {
  let cursor = '0-0';
  let claimed = 0;
  do {
    const reply = (await redis.xautoclaim(
      key,
      CONSUMER_GROUP,
      consumer,
      minIdleMs,
      cursor,
      'COUNT',
      1000,
      'JUSTID',
    )) as [string, string[], string[]?];
    cursor = reply[0];
    claimed += reply[1].length;
  } while (cursor !== '0-0');
  return claimed;
}

export interface PendingSummary {
  readonly count: number;
  readonly minId: string | null;
  readonly byConsumer: ReadonlyMap<string, number>;
}

export async function pendingSummary(redis: RedisClient, key: string): Promise<PendingSummary> {
  const reply = (await redis.xpending(key, CONSUMER_GROUP)) as [
    number,
    string | null,
    string | null,
    [string, string][] | null,
  ];
  return {
    count: Number(reply[0]),
    minId: reply[1],
    byConsumer: new Map((reply[3] ?? []).map(([name, count]) => [name, Number(count)])),
  };
}

export interface PendingDetail {
  readonly id: string;
  readonly consumer: string;
  readonly idleMs: number;
  readonly deliveries: number;
}

/** Pending entries idle for at least minIdleMs, oldest first. */
export async function idlePending(
  redis: RedisClient,
  key: string,
  minIdleMs: number,
  count: number,
): Promise<PendingDetail[]> {
  const reply = (await redis.xpending(key, CONSUMER_GROUP, 'IDLE', minIdleMs, '-', '+', count)) as [
    string,
    string,
    number,
    number,
  ][];
  return reply.map(([id, consumer, idleMs, deliveries]) => ({
    id,
    consumer,
    idleMs: Number(idleMs),
    deliveries: Number(deliveries),
  }));
}

/** Takes entries over regardless of idle time (the caller owns the shard) and returns their fields. */
export async function claimEntries(
  redis: RedisClient,
  key: string,
  consumer: string,
  ids: readonly string[],
): Promise<RawEntry[]> {
  if (ids.length === 0) return [];
  const reply = (await redis.xclaim(key, CONSUMER_GROUP, consumer, 0, ...ids)) as [string, string[] | null][];
  return reply.map(([id, fields]) => ({ id, fields }));
}

/** Group lag (entries not yet delivered) and last delivered id, from XINFO GROUPS. */
export async function groupInfo(
  redis: RedisClient,
  key: string,
): Promise<{ lag: number | null; lastDeliveredId: string; pending: number } | null> {
  const groups = (await redis.xinfo('GROUPS', key)) as (string | number | null)[][];
  for (const group of groups) {
    const info = new Map<string, string | number | null>();
    for (let i = 0; i + 1 < group.length; i += 2) info.set(String(group[i]), group[i + 1] ?? null);
    if (info.get('name') !== CONSUMER_GROUP) continue;
    const lag = info.get('lag');
    return {
      lag: lag === null || lag === undefined ? null : Number(lag),
      lastDeliveredId: String(info.get('last-delivered-id')),
      pending: Number(info.get('pending') ?? 0),
    };
  }
  return null;
}

/**
 * Removes from the group consumers that hold nothing and have been idle for idleMs: names of
 * processes that are gone. A consumer with pending entries is kept; its entries get claimed.
 */
export async function forgetIdleConsumers(
  redis: RedisClient,
  key: string,
  self: string,
  idleMs: number,
): Promise<string[]> {
  const consumers = (await redis.xinfo('CONSUMERS', key, CONSUMER_GROUP)) as (string | number)[][];
  const gone: string[] = [];
  for (const consumer of consumers) {
    const info = new Map<string, string | number>();
    for (let i = 0; i + 1 < consumer.length; i += 2) info.set(String(consumer[i]), consumer[i + 1] as string | number);
    const name = String(info.get('name'));
    if (name !== self && Number(info.get('pending')) === 0 && Number(info.get('idle')) >= idleMs) gone.push(name);
  }
  for (const name of gone) await redis.xgroup('DELCONSUMER', key, CONSUMER_GROUP, name);
  return gone;
}

/** Drops entries below minId: every one of them is acknowledged (none pending, all delivered). */
export async function trimBefore(redis: RedisClient, key: string, minId: string): Promise<number> {
  return redis.xtrim(key, 'MINID', '~', minId);
}
