import { type AuctionStatus, auctionMomentAt, nextStatusChangeAt, priceViewAt } from '@dutch/domain';
import type { AuctionEvent } from '@dutch/stream';
import type { Logger } from 'pino';
import type { AuctionCache, CachedAuction } from './auction-cache.ts';

/** What an SSE client is sent after its snapshot. `changed` asks for a fresh snapshot. */
export type FeedEvent =
  | { readonly event: 'stock'; readonly data: { stock: number; soldCount: number } }
  | { readonly event: 'status'; readonly data: { status: AuctionStatus } }
  | {
      readonly event: 'price';
      readonly data: { currentPrice: number; nextPrice: number | null; nextDropAt: string | null };
    }
  | { readonly event: 'changed'; readonly data: Record<string, never> };

type Send = (event: FeedEvent) => void;

const stepKey = (moment: { currentPrice: number; nextDropAt: number | null }) =>
  `${moment.currentPrice}@${moment.nextDropAt}`;

interface Feed {
  auction: CachedAuction;
  readonly clients: Set<Send>;
  timer: NodeJS.Timeout | null;
  status: AuctionStatus;
  /** The step last announced, as "price@nextDropAt": a new step is a new price event. */
  step: string;
}

/**
 * One feed per auction that has live viewers in this process: a single timer for the next
 * price drop or status change, whatever the number of viewers. A feed and its timer go
 * away with its last viewer.
 */
export class LiveFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    private readonly cache: AuctionCache,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  subscribe(auction: CachedAuction, send: Send): () => void {
    let feed = this.feeds.get(auction.id);
    if (feed === undefined) {
      const moment = auctionMomentAt(auction.terms, auction.stock, this.clock());
      feed = { auction, clients: new Set(), timer: null, status: moment.status, step: stepKey(moment) };
      this.feeds.set(auction.id, feed);
      this.schedule(feed);
    }
    feed.clients.add(send);
    const current = feed;
    return () => {
      current.clients.delete(send);
      if (current.clients.size === 0) {
        if (current.timer !== null) clearTimeout(current.timer);
        if (this.feeds.get(auction.id) === current) this.feeds.delete(auction.id);
      }
    };
  }

  /** Live viewers in this process, per auction or in all; for health checks and leak tests. */
  viewers(auctionId?: string): number {
    if (auctionId !== undefined) return this.feeds.get(auctionId)?.clients.size ?? 0;
    let total = 0;
    for (const feed of this.feeds.values()) total += feed.clients.size;
    return total;
  }

  feedCount(): number {
    return this.feeds.size;
  }

  onEvent(event: AuctionEvent): void {
    if (event.type === 'token-revoked') return;
    const feed = this.feeds.get(event.auctionId);
    if (feed === undefined) return;
    if (event.type === 'changed') {
      this.broadcast(feed, { event: 'changed', data: {} });
      void this.cache.get(event.auctionId).then((auction) => {
        if (auction !== null && this.feeds.get(event.auctionId) === feed) {
          feed.auction = auction;
          this.refresh(feed);
        }
      });
      return;
    }
    feed.auction.stock = event.stock;
    if (feed.auction.showStock)
      this.broadcast(feed, { event: 'stock', data: { stock: event.stock, soldCount: event.soldCount } });
    this.refresh(feed);
  }

  close(): void {
    for (const feed of this.feeds.values()) if (feed.timer !== null) clearTimeout(feed.timer);
    this.feeds.clear();
  }

  /** Emits what changed since the last look (status, price) and sets the timer for the next change. */
  private refresh(feed: Feed): void {
    const now = this.clock();
    const { terms, stock } = feed.auction;
    const moment = auctionMomentAt(terms, stock, now);
    if (moment.status !== feed.status) {
      feed.status = moment.status;
      this.broadcast(feed, { event: 'status', data: { status: moment.status } });
    }
    if (stepKey(moment) !== feed.step) {
      feed.step = stepKey(moment);
      this.broadcast(feed, {
        event: 'price',
        data: {
          currentPrice: moment.currentPrice,
          nextPrice: moment.nextPrice,
          nextDropAt: moment.nextDropAt === null ? null : new Date(moment.nextDropAt).toISOString(),
        },
      });
    }
    this.schedule(feed);
  }

  private schedule(feed: Feed): void {
    if (feed.timer !== null) clearTimeout(feed.timer);
    feed.timer = null;
    const now = this.clock();
    const candidates = [
      priceViewAt(feed.auction.terms, now).nextDropAt,
      nextStatusChangeAt(feed.auction.terms, now),
    ].filter((at): at is number => at !== null);
    if (candidates.length === 0) return;
    // A few ms late rather than early: the price must have changed when we look.
    const delay = Math.max(0, Math.min(...candidates) - now) + 5;
    feed.timer = setTimeout(
      () => {
        try {
          this.refresh(feed);
        } catch (error) {
          this.logger.error({ err: error }, 'live feed tick failed');
        }
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    feed.timer.unref?.();
  }

  private broadcast(feed: Feed, event: FeedEvent): void {
    for (const send of feed.clients) send(event);
  }
}
