import { createDb, type Db } from '@dutch/db';
import { createApp, type Gateway, loadConfig as loadGatewayConfig } from '@dutch/gateway';
import { connectRedis, type KeyLayout, type RedisClient } from '@dutch/stream';
import pino, { type Logger } from 'pino';
import { startTestConsumer, type TestConsumer } from './consumers.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { deleteKeys, randomPrefix } from './redis.ts';
import { redisUrl } from './urls.ts';

export interface Reply<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface TestGateway {
  readonly gateway: Gateway;
  readonly db: TestDatabase;
  readonly redis: RedisClient;
  readonly layout: KeyLayout;
  readonly consumer: TestConsumer;
  /**
   * The gateway's clock, which its consumer shares: real time (or the instant freeze() stopped
   * it at) plus whatever travel() added.
   */
  now(): number;
  /** Stops the clock (rate limits then refill only by travel()), for tests that count tokens on a busy machine. */
  freeze(): void;
  /** Moves the clock forward (auctions start and end without waiting; settle() then closes those due). */
  travel(ms: number): void;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  signUp(name?: string, points?: number): Promise<{ id: string; token: string }>;
  /** `startsIn` (ms from the test clock, default 60 s) keeps startsAt and endsAt on one reading of the clock. */
  createAuction(token: string, overrides?: Record<string, unknown> & { startsIn?: number }): Promise<any>;
  /** Lets the consumer settle everything queued so far, and close what is due by the clock. */
  settle(): Promise<number>;
  close(): Promise<void>;
}

/** A gateway app (tested through app.request()) and a consumer, on a database and key prefix of their own. */
export async function startTestGateway(
  env: Record<string, string> = {},
  setup: {
    readonly logger?: Logger;
    /** Wraps the gateway's drizzle handle, e.g. to count the queries it makes (on the real database). */
    readonly wrapDb?: (db: Db) => Db;
  } = {},
): Promise<TestGateway> {
  const db = await createTestDatabase();
  const layout: KeyLayout = { prefix: randomPrefix(), shards: Number(env.SHARDS ?? 4) };
  const config = loadGatewayConfig({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl(),
    KEY_PREFIX: layout.prefix,
    SHARDS: String(layout.shards),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BID_RATE_PER_SECOND: '0',
    // Tests sign up many members through app.request (all one 'unknown' address).
    SIGNUP_RATE_PER_MINUTE: '0',
    SSE_HEARTBEAT_MS: '200',
    ...env,
  });
  // REDIS_CLUSTER_NODES in env puts the gateway and the consumer on a Redis Cluster.
  const target = { url: config.redisUrl, clusterNodes: config.redisClusterNodes };
  const redis = connectRedis(target);
  const subscriber = connectRedis(target, { enableAutoPipelining: false });
  let offset = 0;
  let frozenAt: number | null = null;
  const clock = () => (frozenAt ?? Date.now()) + offset;
  // The gateway's own pool, with the statement timeout its config gives (as server.ts does).
  const gatewayDb = createDb(db.url, {
    max: 8,
    applicationName: 'test gateway',
    statementTimeoutMs: config.pgStatementTimeoutMs,
  });
  const bidPathReads = createDb(db.url, {
    max: 4,
    applicationName: 'test gateway reads',
    statementTimeoutMs: config.pgStatementTimeoutMs,
  });
  const gateway = createApp({
    config,
    db: setup.wrapDb === undefined ? gatewayDb.db : setup.wrapDb(gatewayDb.db),
    sql: gatewayDb.sql,
    bidPathReads: bidPathReads.sql,
    redis,
    subscriber,
    clock,
    logger: setup.logger ?? pino({ level: config.logLevel }),
  });
  await gateway.start();
  // The consumer keeps the gateway's time: travel() past an end, then settle(), closes the auction.
  const consumer = startTestConsumer(
    db.url,
    layout,
    'test-consumer',
    env.REDIS_CLUSTER_NODES === undefined ? {} : { REDIS_CLUSTER_NODES: env.REDIS_CLUSTER_NODES },
    clock,
  );

  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies loosely and assert on them.
  const request = async <T = any>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
      // As every HTTP client sends it (app.request() alone would not): the bid fast path needs it.
      headers['content-length'] ??= String(Buffer.byteLength(body));
    }
    const response = await gateway.app.request(path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };

  return {
    gateway,
    db,
    redis,
    layout,
    consumer,
    now: clock,
    freeze() {
      frozenAt = Date.now();
    },
    travel(ms) {
      offset += ms;
    },
    request,
    async signUp(name = 'member', points = 0) {
      const created = await request('POST', '/members', { body: { name } });
      if (created.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
      if (points > 0)
        await request('POST', '/members/me/points', { token: created.body.token, body: { amount: points } });
      return { id: created.body.id, token: created.body.token };
    },
    async createAuction(token, { startsIn = 60_000, ...overrides } = {}) {
      const startsAt = clock() + startsIn;
      const body = {
        title: 'Vintage camera',
        startPrice: 1000,
        priceDrop: { kind: 'constant', amount: 100 },
        dropIntervalSeconds: 60,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 600_000).toISOString(),
        stock: 10,
        perBuyerLimit: 5,
        ...overrides,
      };
      const created = await request('POST', '/auctions', { token, body });
      if (created.status !== 201) throw new Error(`auction not created: ${JSON.stringify(created.body)}`);
      return created.body;
    },
    settle: () => consumer.consumer.consumeOnce(),
    async close() {
      await consumer.close();
      await gateway.close();
      await deleteKeys(redis, layout.prefix);
      await redis.quit();
      await Promise.all([gatewayDb.close(), bidPathReads.close()]);
      await db.drop();
    },
  };
}
