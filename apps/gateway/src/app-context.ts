import type { Notification } from '@dutch/contract';
import type { Db, Sql } from '@dutch/db';
import { type ChannelEvent, encodeEvent, eventsChannel, type KeyLayout, type RedisClient } from '@dutch/stream';
import type { Logger } from 'pino';
import type { PointsBounds } from './auth/points-bounds.ts';
import type { TokenCache } from './auth/token-cache.ts';
import type { RateLimiter } from './bids/rate-limiter.ts';
import type { AuctionCache } from './cache/auction-cache.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayMetrics } from './http/metrics.ts';
import type { LiveFeeds } from './live/feeds.ts';
import type { MemberFeeds } from './live/member-feeds.ts';

/** Everything a route needs, built once per app. */
export interface AppContext {
  readonly config: GatewayConfig;
  readonly db: Db;
  readonly sql: Sql;
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly auctions: AuctionCache;
  readonly tokens: TokenCache;
  /** An upper bound of each seen member's points, for refusing bids they certainly cannot pay. */
  readonly points: PointsBounds;
  readonly feeds: LiveFeeds;
  /** The members' notification streams in this process. */
  readonly memberFeeds: MemberFeeds<Notification>;
  readonly limiter: RateLimiter;
  readonly metrics: GatewayMetrics;
  /** Collects metrics of every process under the launcher; defaults to this process's. */
  readonly collectMetrics: () => Promise<string>;
}

/** Tells every gateway (this one included, through its subscription) that something changed. */
export async function publish(ctx: Pick<AppContext, 'redis' | 'layout'>, event: ChannelEvent): Promise<void> {
  await ctx.redis.publish(eventsChannel(ctx.layout), encodeEvent(event));
}

export function memberIdOf(c: { get(key: 'member'): { id: string } | undefined }): string {
  const member = c.get('member');
  if (member === undefined) throw new Error('route needs requireMember()');
  return member.id;
}
