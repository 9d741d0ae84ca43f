import { type ChannelEvent, decodeEvent, type RedisClient } from '@dutch/stream';
import type { Logger } from 'pino';

export type EventListener = (event: ChannelEvent) => void;

/**
 * One Redis subscription per gateway process, fanned out in memory: to the caches (stock,
 * definition changes, revoked tokens, points bounds) and to the live feeds behind SSE connections.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly lossListeners = new Set<() => void>();
  private readonly restoredListeners = new Set<() => void>();
  private subscribedOnce = false;
  private subscribed = false;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
    private readonly logger: Logger,
    /** Called when the subscription comes back after a drop: events may have been missed. */
    private readonly onResubscribed: () => void,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.channel) return;
      const event = decodeEvent(payload);
      if (event === null) return;
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.logger.error({ err: error }, 'event listener failed');
        }
      }
    });
    this.subscriber.on('close', () => this.lose());
    this.subscriber.on('ready', () => {
      if (!this.subscribedOnce) return;
      this.lose();
      this.logger.warn('event subscription restored; dropping cached auction state');
      this.onResubscribed();
      // ioredis resubscribes on its own, but 'ready' comes before Redis has done it: our own
      // SUBSCRIBE answers only after that one, so from then on no event can slip past.
      this.subscriber
        .subscribe(this.channel)
        .then(() => {
          if (this.subscriber.status !== 'ready') return;
          this.subscribed = true;
          for (const listener of this.restoredListeners) listener();
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'event resubscription failed'));
    });
    await this.subscriber.subscribe(this.channel);
    this.subscribedOnce = true;
    this.subscribed = true;
  }

  /** True while every event published reaches this process (subscribed, connection up). */
  isSubscribed(): boolean {
    return this.subscribed;
  }

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called whenever events may have been missed: the connection dropped or just came back. */
  onLoss(listener: () => void): void {
    this.lossListeners.add(listener);
  }

  /**
   * Called once the subscription is back after a drop and every later event will arrive: what
   * was missed in between can be read now without missing anything after it.
   */
  onRestored(listener: () => void): void {
    this.restoredListeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.quit().catch(() => {});
  }

  private lose(): void {
    this.subscribed = false;
    for (const listener of this.lossListeners) listener();
  }
}
