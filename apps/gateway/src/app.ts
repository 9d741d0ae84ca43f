import type { Notification } from '@dutch/contract';
import { type Db, findAuction, findMemberBalances, findNotificationsAfter, findTokens, type Sql } from '@dutch/db';
import { defineScripts, eventsChannel, type KeyLayout, type RedisClient } from '@dutch/stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import pino, { type Logger } from 'pino';
import { errorBody, handleError } from './api-error.ts';
import type { AppContext } from './app-context.ts';
import { batchReads } from './auth/batch-reads.ts';
import { PointsBounds } from './auth/points-bounds.ts';
import { TokenCache, type TokenReads } from './auth/token-cache.ts';
import { BidBatcher, bidTimedOut } from './bids/bid-batcher.ts';
import type { BidPathDeps } from './bids/place-bid.ts';
import { RateLimiter } from './bids/rate-limiter.ts';
import { AuctionCache } from './cache/auction-cache.ts';
import type { GatewayConfig } from './config.ts';
import type { HonoEnv } from './hono-env.ts';
import { limitBody } from './http/body-limit.ts';
import { requestTimeout } from './http/deadline.ts';
import { DeadlineSweep } from './http/deadline-sweep.ts';
import { createGatewayMetrics, type GatewayMetrics } from './http/metrics.ts';
import { observe } from './http/observe.ts';
import { RequestSummary } from './http/request-summary.ts';
import { validationHook } from './http/validation.ts';
import { OpenConnections } from './live/connections.ts';
import { EventHub } from './live/event-hub.ts';
import { LiveFeeds } from './live/feeds.ts';
import { MemberFeeds } from './live/member-feeds.ts';
import { auctionRoutes } from './routes/auctions.ts';
import { bidBoardRoutes } from './routes/bid-board.ts';
import { BID_ROUTE, bidFastPath } from './routes/bid-fast-path.ts';
import { bidRoutes } from './routes/bids.ts';
import { docsRoutes } from './routes/docs.ts';
import { eventRoutes } from './routes/events.ts';
import { historyRoutes } from './routes/history.ts';
import { memberEventRoutes } from './routes/member-events.ts';
import { memberRoutes } from './routes/members.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { opsRoutes } from './routes/ops.ts';
import { receiptRoutes } from './routes/receipts.ts';
import { watchListRoutes, watchRoutes } from './routes/watches.ts';
import { notificationView } from './views/notification-view.ts';

export interface AppDeps {
  readonly config: GatewayConfig;
  readonly db: Db;
  readonly sql: Sql;
  /**
   * A pool of its own for the bid path's reads (tokens with their points bounds, refusals
   * confirmed), so they never queue behind the slower reads of lists and pages. Defaults to `sql`.
   */
  readonly bidPathReads?: Sql;
  readonly redis: RedisClient;
  /** A connection of its own for the events subscription (a subscribed connection does nothing else). */
  readonly subscriber: RedisClient;
  readonly clock?: () => number;
  readonly logger?: Logger;
  readonly metrics?: GatewayMetrics;
  readonly collectMetrics?: () => Promise<string>;
  /** Extra routes mounted last, e.g. the live page. */
  readonly extraRoutes?: (app: OpenAPIHono<HonoEnv>) => void;
}

export interface Gateway {
  readonly app: OpenAPIHono<HonoEnv>;
  readonly context: AppContext;
  readonly feeds: LiveFeeds;
  readonly connections: OpenConnections;
  /** Subscribes to the events channel and warms the auction cache. */
  start(): Promise<void>;
  /** Ends live streams and the subscription; the caller closes the connections it gave. */
  close(): Promise<void>;
}

/** The in-process parts one gateway shares across requests, before any HTTP is wired. */
interface Parts {
  readonly context: AppContext;
  readonly hub: EventHub;
  readonly feeds: LiveFeeds;
  readonly members: MemberFeeds<Notification>;
  readonly connections: OpenConnections;
  /** The bid path's dependencies, shared by the bid route and its fast path. */
  readonly bids: BidPathDeps;
  /** What the bid fast path keeps across requests, closed with the app; null when BID_FAST_PATH is off. */
  readonly fastPath: { readonly deadlines: DeadlineSweep; readonly summary: RequestSummary | null } | null;
}

export function createApp(deps: AppDeps): Gateway {
  const parts = createParts(deps);
  const { context, hub, feeds, connections } = parts;
  listenToEvents(parts);
  const app = new OpenAPIHono<HonoEnv>({ defaultHook: validationHook });
  // Ahead of every middleware: what it cannot take it hands down the chain (see bid-fast-path.ts).
  if (parts.fastPath !== null) app.post(BID_ROUTE, bidFastPath({ context, bids: parts.bids, ...parts.fastPath }));
  useMiddleware(app, context);
  mountRoutes(app, parts);
  deps.extraRoutes?.(app);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(handleError(context.logger));

  const sweep = setInterval(() => context.auctions.evictEnded(), 60_000);
  sweep.unref();

  return {
    app,
    context,
    feeds,
    connections,
    async start() {
      await hub.start();
      await context.auctions.warm();
    },
    async close() {
      clearInterval(sweep);
      // Bids a moment from their reply get it, before the caller closes the Redis connection;
      // the sweep still bounds their wait meanwhile.
      await parts.bids.batcher.drain();
      parts.bids.batcher.close();
      parts.fastPath?.deadlines.close();
      parts.fastPath?.summary?.close();
      connections.closeAll();
      feeds.close();
      parts.members.close();
      await hub.close();
    },
  };
}

/** A refusal waits this long for others to confirm with (it is answered 409 after the read anyway). */
const REFUSAL_READ_WINDOW_MS = 5;
/** Background re-reads of tokens wait this long for others: nobody waits on them. */
const TOKEN_REREAD_WINDOW_MS = 100;

function readTokens(sql: Sql): TokenReads {
  const readMany = (tokenIds: readonly string[]) => findTokens(sql, tokenIds);
  return { now: batchReads(readMany), later: batchReads(readMany, TOKEN_REREAD_WINDOW_MS) };
}

function createParts(deps: AppDeps): Parts {
  const { config } = deps;
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const metrics = deps.metrics ?? createGatewayMetrics();
  const layout: KeyLayout = { prefix: config.keyPrefix, shards: config.shards };
  const auctions = new AuctionCache(deps.sql, clock);
  const hub = new EventHub(deps.subscriber, eventsChannel(layout), logger, () => auctions.clear());
  const bidPathReads = deps.bidPathReads ?? deps.sql;
  const points = new PointsBounds(
    () => hub.isSubscribed(),
    batchReads((memberIds) => findMemberBalances(bidPathReads, memberIds), REFUSAL_READ_WINDOW_MS),
  );
  hub.onLoss(() => points.forgetAll());
  const feeds = new LiveFeeds(auctions, clock, logger, (id) => findAuction(deps.db, id), metrics);
  const members = new MemberFeeds<Notification>(
    async (memberId, afterId, limit) => {
      const { items, heldBack } = await findNotificationsAfter(deps.db, memberId, toId(afterId), limit);
      return { items: items.map(notificationView), heldBack };
    },
    logger,
    metrics,
  );
  defineScripts(deps.redis);

  const context: AppContext = {
    config,
    db: deps.db,
    sql: deps.sql,
    redis: deps.redis,
    layout,
    clock,
    logger,
    auctions,
    tokens: new TokenCache(readTokens(bidPathReads), clock, points),
    points,
    feeds,
    memberFeeds: members,
    limiter: new RateLimiter(config.bidRatePerSecond, config.bidRateBurst, clock),
    metrics,
    collectMetrics: deps.collectMetrics ?? (() => metrics.registry.metrics()),
  };
  const bids: BidPathDeps = {
    redis: deps.redis,
    layout,
    auctions,
    limiter: context.limiter,
    points,
    clock,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    cluster: config.redisClusterNodes !== null,
    batcher: new BidBatcher(deps.redis, layout, { timeoutMs: config.requestTimeoutMs }),
  };
  const fastPath = config.bidFastPath
    ? {
        deadlines: new DeadlineSweep(config.requestTimeoutMs, bidTimedOut),
        summary: config.logRequests ? new RequestSummary(logger, BID_ROUTE) : null,
      }
    : null;
  return { context, hub, feeds, members, connections: new OpenConnections(), bids, fastPath };
}

const toId = (id: string | null) => (id === null ? null : Number(id));

/** Keeps this process's caches and live feeds in step with what other processes publish. */
function listenToEvents({ context, hub, feeds, members }: Parts): void {
  const { auctions, points, tokens } = context;
  hub.listen((event) => {
    if (event.type === 'stock') auctions.setStock(event.auctionId, event.stock);
    else if (event.type === 'lead') auctions.applyLead(event);
    else if (event.type === 'closed') auctions.applyClosed(event);
    else if (event.type === 'changed') auctions.invalidate(event.auctionId);
    else if (event.type === 'credit') points.credit(event.memberId, event.amount);
    else if (event.type === 'token-revoked') tokens.forget(event.tokenId);
  });
  hub.listen((event) => {
    if (event.type === 'notify') members.onNotify(event);
    else if (event.type !== 'credit') feeds.onEvent(event);
  });
  // A notify missed while the subscription was down: every member stream reads its inbox once it is back.
  hub.onRestored(() => members.pullAll());
}

function useMiddleware(app: OpenAPIHono<HonoEnv>, { config, logger, metrics }: AppContext): void {
  app.use(async (_c, next) => {
    try {
      await next();
    } catch (thrown) {
      // hono hands only Error instances to onError; anything else thrown becomes one here.
      throw thrown instanceof Error ? thrown : new Error(`non-Error thrown: ${String(thrown)}`);
    }
  });
  app.use(observe(metrics, logger, config.logRequests));
  // The browser-facing pages get the full set of security headers; JSON answers only need
  // nosniff (set by observe), and skipping the rest keeps the bid path on the fast path.
  const pageHeaders = secureHeaders({ contentSecurityPolicy: undefined, crossOriginEmbedderPolicy: false });
  app.use('/docs', pageHeaders);
  app.use('/docs/*', pageHeaders);
  app.use(limitBody());
  // 503 past REQUEST_TIMEOUT_MS; a write that has not begun to commit by then rolls back (see deadline.ts).
  const limitTime = requestTimeout(config.requestTimeoutMs);
  app.use(
    createMiddleware<HonoEnv>(async (c, next) => {
      // Live streams are meant to stay open.
      if (c.req.path.endsWith('/events')) return next();
      return limitTime(c, next);
    }),
  );
}

function mountRoutes(app: OpenAPIHono<HonoEnv>, { context, connections, bids }: Parts): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from POST /members (or POST /members/me/tokens).',
  });
  app.route('/', opsRoutes(context));
  app.route('/members', memberRoutes(context));
  app.route('/auctions', auctionRoutes(context));
  app.route('/auctions', bidRoutes(context, bids));
  app.route('/auctions', bidBoardRoutes(context));
  app.route('/auctions', watchRoutes(context));
  app.route('/auctions', eventRoutes(context, connections));
  app.route('/receipts', receiptRoutes(context));
  app.route('/members', historyRoutes(context));
  app.route('/members', watchListRoutes(context));
  app.route('/members', notificationRoutes(context));
  app.route('/members', memberEventRoutes(context, connections));
  app.route('/', docsRoutes(app));
}
