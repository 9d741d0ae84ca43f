import { type AuctionEvent, decodeEvent, type RedisClient } from '@dutch/stream';
import type { Logger } from 'pino';

export type EventListener = (event: AuctionEvent) => void;

/**
 * One Redis subscription per gateway process, fanned out in memory: to the caches (stock,
 * definition changes, revoked tokens) and to the live feeds behind SSE connections.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private subscribedOnce = false;

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
    this.subscriber.on('ready', () => {
      if (this.subscribedOnce) {
        this.logger.warn('event subscription restored; dropping cached auction state');
        this.onResubscribed();
      }
    });
    await this.subscriber.subscribe(this.channel);
    this.subscribedOnce = true;
  }

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.quit().catch(() => {});
  }
}
