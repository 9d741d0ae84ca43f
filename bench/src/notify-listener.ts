/**
 * Listens to the engine's events channel for `notify` events, which the consumers publish after
 * the commit that stored a member's notifications: once they have named every expected member, all
 * of those notifications are committed. The bench learns it this way without polling Postgres
 * while the insert runs (each poll would check the visibility of every row still being inserted,
 * on the same two cores as the insert).
 */
import { connectRedis, decodeEvent, eventsChannel, type KeyLayout } from '@dutch/stream';

export interface NotifyListener {
  /** Epoch ms when notify events had named every expected member, or null so far. */
  allNamedAt(): number | null;
  /** How many of the expected members the events have named so far. */
  named(): number;
  close(): Promise<void>;
}

/** Subscribes (on a connection of its own) and resolves once subscribed. */
export async function listenForNotify(
  redisUrl: string,
  layout: KeyLayout,
  expected: Iterable<string>,
): Promise<NotifyListener> {
  const waiting = new Set(expected);
  const total = waiting.size;
  let allNamedAt: number | null = total === 0 ? Date.now() : null;
  const subscriber = connectRedis({ url: redisUrl, clusterNodes: null });
  const channel = eventsChannel(layout);
  subscriber.on('message', (from: string, payload: string) => {
    if (from !== channel || allNamedAt !== null) return;
    const event = decodeEvent(payload);
    if (event?.type !== 'notify') return;
    for (const id of event.memberIds) waiting.delete(id);
    if (waiting.size === 0) allNamedAt = Date.now();
  });
  await subscriber.subscribe(channel);
  return {
    allNamedAt: () => allNamedAt,
    named: () => total - waiting.size,
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
