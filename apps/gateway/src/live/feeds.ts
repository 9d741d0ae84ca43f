import { type AuctionStatus, auctionMomentAt, canSeeStock, nextStatusChangeAt, priceViewAt } from '@dutch/domain';
import type { AuctionView } from '@dutch/contract';
import type { AuctionEvent } from '@dutch/stream';
import type { Logger } from 'pino';
import type { AuctionCache, CachedAuction } from '../cache/auction-cache.ts';
import type { GatewayMetrics } from '../http/metrics.ts';
import { type AuctionRow, auctionView } from '../views/auction-view.ts';

/**
 * What an SSE client is sent after its snapshot. `snapshot` follows a seller's edit (the
 * auction read once per gateway, viewed per viewer); `gone` ends the stream (withdrawn).
 */
export type FeedEvent =
  | { readonly event: 'stock'; readonly data: { stock: number; soldCount: number } }
  | { readonly event: 'status'; readonly data: { status: AuctionStatus } }
  | {
      readonly event: 'price';
      readonly data: { currentPrice: number; nextPrice: number | null; nextDropAt: string | null };
    }
  | { readonly event: 'snapshot'; readonly data: AuctionView }
  | { readonly event: 'gone'; readonly data: Record<string, never> };

type Send = (event: FeedEvent) => void;

/** The gauges that show live viewers and feeds on /metrics. */
export type LiveGauges = Pick<GatewayMetrics, 'liveViewers' | 'liveFeeds'>;

/** Reads an auction's row (undefined when withdrawn): the one database read per change. */
export type LoadAuction = (id: string) => Promise<AuctionRow | undefined>;

const stepKey = (moment: { currentPrice: number; nextDropAt: number | null }) =>
  `${moment.currentPrice}@${moment.nextDropAt}`;

interface Feed {
  auction: CachedAuction;
  /** Each client's send, with who is watching (null: anonymous), for what they may see. */
  readonly clients: Map<Send, string | null>;
  timer: NodeJS.Timeout | null;
  status: AuctionStatus;
  /** The step last announced, as "price@nextDropAt": a new step is a new price event. */
  step: string;
  /** A reload is under way; `reloadAgain` asks for one more, for a change it may have missed. */
  loading: boolean;
  reloadAgain: boolean;
}

/**
 * One feed per auction that has live viewers in this process: a single timer for the next
 * price drop or status change, and a single read of the auction per seller edit, whatever
 * the number of viewers. A feed and its timer go away with its last viewer.
 */
export class LiveFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    private readonly cache: AuctionCache,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly loadAuction: LoadAuction,
    private readonly gauges: LiveGauges,
  ) {}

  subscribe(auction: CachedAuction, viewerId: string | null, send: Send): () => void {
    let feed = this.feeds.get(auction.id);
    if (feed === undefined) {
      const moment = auctionMomentAt(auction.terms, auction.stock, this.clock());
      feed = {
        auction,
        clients: new Map(),
        timer: null,
        status: moment.status,
        step: stepKey(moment),
        loading: false,
        reloadAgain: false,
      };
      this.feeds.set(auction.id, feed);
      this.gauges.liveFeeds.inc();
      this.schedule(feed);
    }
    feed.clients.set(send, viewerId);
    this.gauges.liveViewers.inc();
    const current = feed;
    return () => {
      if (!current.clients.delete(send)) return;
      this.gauges.liveViewers.dec();
      if (current.clients.size === 0) {
        if (current.timer !== null) clearTimeout(current.timer);
        if (this.feeds.get(auction.id) === current) {
          this.feeds.delete(auction.id);
          this.gauges.liveFeeds.dec();
        }
      }
    };
  }

  onEvent(event: AuctionEvent): void {
    if (event.type !== 'changed' && event.type !== 'stock') return;
    const feed = this.feeds.get(event.auctionId);
    if (feed === undefined) return;
    if (event.type === 'changed') {
      this.reload(feed);
      return;
    }
    feed.auction.stock = event.stock;
    const stock: FeedEvent = { event: 'stock', data: { stock: event.stock, soldCount: event.soldCount } };
    for (const [send, viewerId] of feed.clients) if (canSeeStock(feed.auction.terms, viewerId)) send(stock);
    this.refresh(feed);
  }

  close(): void {
    for (const feed of this.feeds.values()) if (feed.timer !== null) clearTimeout(feed.timer);
    this.feeds.clear();
    this.gauges.liveViewers.set(0);
    this.gauges.liveFeeds.set(0);
  }

  /**
   * Reads the edited auction once and sends every viewer their own view of it. Edits that
   * arrive during the read share one more read after it, so a burst costs at most two.
   */
  private reload(feed: Feed): void {
    if (feed.loading) {
      feed.reloadAgain = true;
      return;
    }
    feed.loading = true;
    const id = feed.auction.id;
    this.loadAuction(id)
      .then((row) => {
        if (this.feeds.get(id) !== feed) return;
        if (row === undefined) {
          this.broadcast(feed, { event: 'gone', data: {} });
          return;
        }
        feed.auction = this.cache.remember(row);
        this.refresh(feed);
        const now = this.clock();
        for (const [send, viewerId] of feed.clients) send({ event: 'snapshot', data: auctionView(row, now, viewerId) });
      })
      .catch((error: unknown) => this.logger.error({ err: error, auctionId: id }, 'live feed reload failed'))
      .finally(() => {
        feed.loading = false;
        if (feed.reloadAgain) {
          feed.reloadAgain = false;
          this.reload(feed);
        }
      });
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
    for (const send of feed.clients.keys()) send(event);
  }
}
