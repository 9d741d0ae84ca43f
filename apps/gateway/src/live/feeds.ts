import type { AuctionView } from '@dutch/contract';
import { canSeeStock } from '@dutch/domain';
import type { AuctionEvent, ClosedEvent, LeadEvent } from '@dutch/stream';
import type { Logger } from 'pino';
import type { AuctionCache, CachedAuction } from '../cache/auction-cache.ts';
import { applyClosed, mergeLead } from '../cache/cached-auction.ts';
import type { GatewayMetrics } from '../http/metrics.ts';
import { type AuctionRow, auctionView } from '../views/auction-view.ts';
import {
  type AnnouncedLead,
  announcedOf,
  closedEventOf,
  feedStatusAt,
  leadEvents,
  nextChangeAt,
  priceEventAt,
  priceStepAt,
} from './feed-changes.ts';

/**
 * What an SSE client is sent after its snapshot. `snapshot` follows a seller's edit (the
 * auction read once per gateway, viewed per viewer); `gone` ends the stream (withdrawn).
 */
export type FeedEvent =
  | { readonly event: 'stock'; readonly data: { stock: number; soldCount: number } }
  | { readonly event: 'status'; readonly data: { status: string } }
  | NonNullable<ReturnType<typeof priceEventAt>>
  | ReturnType<typeof leadEvents>[number]
  | ReturnType<typeof closedEventOf>
  | { readonly event: 'snapshot'; readonly data: AuctionView }
  | { readonly event: 'gone'; readonly data: Record<string, never> };

type Send = (event: FeedEvent) => void;

/** The gauges that show live viewers and feeds on /metrics. */
export type LiveGauges = Pick<GatewayMetrics, 'liveViewers' | 'liveFeeds'>;

/** Reads an auction's row (undefined when withdrawn): the one database read per change. */
export type LoadAuction = (id: string) => Promise<AuctionRow | undefined>;

interface Feed {
  auction: CachedAuction;
  /** Each client's send, with who is watching (null: anonymous), for what they may see. */
  readonly clients: Map<Send, string | null>;
  timer: NodeJS.Timeout | null;
  status: string;
  /** The Dutch price step last announced, as "price@nextDropAt": a new step is a new price event. */
  step: string;
  /** The English lead last announced: a higher bid is a `bid` event, a later end `extended`. */
  announced: AnnouncedLead | null;
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
    const feed = this.feeds.get(auction.id) ?? this.open(auction);
    feed.clients.set(send, viewerId);
    this.gauges.liveViewers.inc();
    return () => {
      if (!feed.clients.delete(send)) return;
      this.gauges.liveViewers.dec();
      if (feed.clients.size > 0) return;
      if (feed.timer !== null) clearTimeout(feed.timer);
      if (this.feeds.get(auction.id) === feed) {
        this.feeds.delete(auction.id);
        this.gauges.liveFeeds.dec();
      }
    };
  }

  onEvent(event: AuctionEvent): void {
    if (event.type === 'token-revoked') return;
    const feed = this.feeds.get(event.auctionId);
    if (feed === undefined) return;
    if (event.type === 'changed') this.reload(feed);
    else if (event.type === 'stock') this.onStock(feed, event.stock, event.soldCount);
    else if (event.type === 'lead') this.onLead(feed, event);
    else this.onClosed(feed, event);
  }

  close(): void {
    for (const feed of this.feeds.values()) if (feed.timer !== null) clearTimeout(feed.timer);
    this.feeds.clear();
    this.gauges.liveViewers.set(0);
    this.gauges.liveFeeds.set(0);
  }

  private open(auction: CachedAuction): Feed {
    const now = this.clock();
    const feed: Feed = {
      auction,
      clients: new Map(),
      timer: null,
      status: feedStatusAt(auction, now),
      step: priceStepAt(auction, now),
      announced: announcedOf(auction),
      loading: false,
      reloadAgain: false,
    };
    this.feeds.set(auction.id, feed);
    this.gauges.liveFeeds.inc();
    this.schedule(feed);
    return feed;
  }

  private onStock(feed: Feed, stock: number, soldCount: number): void {
    const { auction } = feed;
    if (auction.format !== 'dutch') return;
    auction.stock = stock;
    const event: FeedEvent = { event: 'stock', data: { stock, soldCount } };
    for (const [send, viewerId] of feed.clients) if (canSeeStock(auction.terms, viewerId)) send(event);
    this.refresh(feed);
  }

  /** The cache took the lead already (the feed may hold its entry or an older copy): merge, announce what is new. */
  private onLead(feed: Feed, lead: LeadEvent): void {
    const { auction, announced } = feed;
    if (auction.format !== 'english' || announced === null) return;
    mergeLead(auction.lead, lead);
    for (const event of leadEvents(auction, announced)) this.broadcast(feed, event);
    this.refresh(feed);
  }

  private onClosed(feed: Feed, closed: ClosedEvent): void {
    applyClosed(feed.auction, closed);
    this.broadcast(feed, closedEventOf(feed.auction, closed));
    this.refresh(feed);
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
        feed.announced = announcedOf(feed.auction);
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
    const status = feedStatusAt(feed.auction, now);
    if (status !== feed.status) {
      feed.status = status;
      this.broadcast(feed, { event: 'status', data: { status } });
    }
    const step = priceStepAt(feed.auction, now);
    const price = priceEventAt(feed.auction, now);
    if (step !== feed.step && price !== null) {
      feed.step = step;
      this.broadcast(feed, price);
    }
    this.schedule(feed);
  }

  private schedule(feed: Feed): void {
    if (feed.timer !== null) clearTimeout(feed.timer);
    feed.timer = null;
    const now = this.clock();
    const next = nextChangeAt(feed.auction, now);
    if (next === null) return;
    // A few ms late rather than early: the price must have changed when we look.
    const delay = Math.max(0, next - now) + 5;
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
