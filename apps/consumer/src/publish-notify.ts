import { encodeEvent, eventsChannel, type KeyLayout, notifyEventsOf, type RedisClient } from '@dutch/stream';

/**
 * Tells the gateways which members have new notifications, after the commit that stored them, in
 * chunks of at most 1,000 ids. Only a nudge: the notifications are in Postgres already, and a
 * member's SSE re-reads the inbox after the last id it sent (on this event, and on every
 * reconnect with Last-Event-ID), so an event lost here delays a live push and loses nothing.
 */
export async function publishNotify(redis: RedisClient, layout: KeyLayout, memberIds: Iterable<string>): Promise<void> {
  const channel = eventsChannel(layout);
  for (const event of notifyEventsOf(memberIds)) await redis.publish(channel, encodeEvent(event));
}
