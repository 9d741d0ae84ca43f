import type { NotifyEvent } from '@dutch/stream';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../http/metrics.ts';

/** A stored notification as the stream reads it: its id (a decimal int8) is the SSE event id. */
export interface InboxEntry {
  readonly id: string;
}

/**
 * The member's notifications after `afterId` (null: from the first) in delivery order, at most
 * `limit`; `heldBack` when committed ones follow that cannot be sent yet (an older transaction is
 * still running and may store one before them): no nudge may come for those, so read again soon.
 */
export type LoadAfter<T extends InboxEntry> = (
  memberId: string,
  afterId: string | null,
  limit: number,
) => Promise<{ readonly items: readonly T[]; readonly heldBack: boolean }>;

export type MemberGauges = Pick<GatewayMetrics, 'memberStreams' | 'memberFeeds'>;

/** Rows read per query: a long resume is sent in batches, never read whole into memory. */
const BATCH = 100;

/** How soon held-back notifications are read again (a running transaction is typically milliseconds). */
const HELD_BACK_RETRY_MS = 50;

interface Client<T extends InboxEntry> {
  readonly memberId: string;
  /** The id of the last notification sent (or the resume point; null: none): the next read starts after it. */
  lastId: string | null;
  pulling: boolean;
  /** A nudge came while reading: read once more after the batch, so nothing stored meanwhile waits. */
  again: boolean;
  closed: boolean;
  /** A read again, for notifications held back. */
  retry: NodeJS.Timeout | null;
  /** Writes one notification; false when the client is gone. */
  readonly send: (entry: T) => Promise<boolean>;
  /** Ends the stream (a failed read): the client reconnects with Last-Event-ID and loses nothing. */
  readonly end: () => void;
}

/**
 * The members' own notification streams in this process. Postgres is the only source: a notify
 * event (or a restored subscription) only makes each of the member's streams read its inbox
 * after the last id it sent. Reads of one stream never overlap, so no notification is sent twice
 * and none is skipped, however events interleave with a read under way.
 */
export class MemberFeeds<T extends InboxEntry> {
  private readonly byMember = new Map<string, Set<Client<T>>>();

  constructor(
    private readonly load: LoadAfter<T>,
    private readonly logger: Logger,
    private readonly gauges: MemberGauges,
  ) {}

  /**
   * Registers a stream that has been sent everything up to `afterId`, then sends what came after
   * it. Registered before the first read, so a nudge during that read is not lost.
   */
  subscribe(memberId: string, afterId: string | null, send: Client<T>['send'], end: () => void): () => void {
    const client: Client<T> = {
      memberId,
      lastId: afterId,
      pulling: false,
      again: false,
      closed: false,
      retry: null,
      send,
      end,
    };
    let clients = this.byMember.get(memberId);
    if (clients === undefined) {
      clients = new Set();
      this.byMember.set(memberId, clients);
      this.gauges.memberFeeds.inc();
    }
    clients.add(client);
    this.gauges.memberStreams.inc();
    this.pull(client);
    return () => this.remove(client);
  }

  onNotify(event: NotifyEvent): void {
    for (const memberId of event.memberIds) {
      for (const client of this.byMember.get(memberId) ?? []) this.pull(client);
    }
  }

  /** Every stream reads its inbox: events may have been missed while the subscription was down. */
  pullAll(): void {
    for (const clients of this.byMember.values()) for (const client of clients) this.pull(client);
  }

  close(): void {
    for (const clients of this.byMember.values()) for (const client of clients) this.stop(client);
    this.byMember.clear();
    this.gauges.memberStreams.set(0);
    this.gauges.memberFeeds.set(0);
  }

  private stop(client: Client<T>): void {
    client.closed = true;
    if (client.retry !== null) clearTimeout(client.retry);
    client.retry = null;
  }

  private remove(client: Client<T>): void {
    this.stop(client);
    const clients = this.byMember.get(client.memberId);
    if (clients === undefined || !clients.delete(client)) return;
    this.gauges.memberStreams.dec();
    if (clients.size > 0) return;
    this.byMember.delete(client.memberId);
    this.gauges.memberFeeds.dec();
  }

  private pull(client: Client<T>): void {
    if (client.closed) return;
    if (client.pulling) {
      client.again = true;
      return;
    }
    client.pulling = true;
    this.drain(client)
      .catch((error: unknown) => {
        this.logger.warn({ err: error, memberId: client.memberId }, 'member stream read failed; ending it');
        this.stop(client);
        client.end();
      })
      .finally(() => {
        client.pulling = false;
        // A nudge after the last short read, before this ran, still gets its read.
        if (client.again) this.pull(client);
      });
  }

  /** Sends everything after lastId, in delivery order, until a read comes back short with no nudge pending. */
  private async drain(client: Client<T>): Promise<void> {
    do {
      client.again = false;
      for (;;) {
        const { items, heldBack } = await this.load(client.memberId, client.lastId, BATCH);
        for (const entry of items) {
          if (client.closed || !(await client.send(entry))) return;
          client.lastId = entry.id;
        }
        if (heldBack) this.retrySoon(client);
        if (items.length < BATCH || heldBack) break;
      }
    } while (client.again && !client.closed);
  }

  private retrySoon(client: Client<T>): void {
    if (client.retry !== null || client.closed) return;
    client.retry = setTimeout(() => {
      client.retry = null;
      this.pull(client);
    }, HELD_BACK_RETRY_MS);
    client.retry.unref?.();
  }
}
