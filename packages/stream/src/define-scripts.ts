import { defineAppendClose } from './append-close-script.ts';
import { defineRefundScripts } from './pending-receipt.ts';
import { defineQueueBids } from './queue-bid-script.ts';
import type { RedisClient } from './redis.ts';

/**
 * Defines every script of the engine on a new connection, before any command is sent on it.
 * Defining one lazily, at its first use, is not enough with auto-pipelining: ioredis copies a
 * connection's scripts into each pipeline when it creates the pipeline, so a script defined
 * while a pipeline for its slot was already scheduled is missing from it
 * ("pipeline[functionName] is not a function"), which the close drill met after restarts.
 */
export function defineScripts(redis: RedisClient): RedisClient {
  defineQueueBids(redis);
  defineRefundScripts(redis);
  defineAppendClose(redis);
  return redis;
}
