import { createDb } from '@dutch/db';
import { connectRedis } from '@dutch/stream';
import { startTestGateway, type TestGateway } from '@dutch/testkit';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

/** The raw response, for endpoints that are not JSON. */
const fetchRaw = (path: string, init: RequestInit = {}) => t.gateway.app.request(path, init);

describe('liveness and readiness', () => {
  it('GET /health answers 200', async () => {
    const reply = await t.request('GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 with Redis and Postgres up', async () => {
    const reply = await t.request('GET', '/ready');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up' } });
  });

  it('GET /ready answers 503 SERVICE_UNAVAILABLE in the error shape, naming what is down', async () => {
    // Nothing listens on port 1: both dependencies refuse at once.
    const db = createDb('postgres://postgres@127.0.0.1:1/none', { max: 1, connectTimeoutSeconds: 1 });
    const redisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    };
    const redis = connectRedis({ url: 'redis://127.0.0.1:1', clusterNodes: null }, redisOptions);
    const subscriber = connectRedis({ url: 'redis://127.0.0.1:1', clusterNodes: null }, redisOptions);
    for (const client of [redis, subscriber]) client.on('error', () => {});
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:1',
      KEY_PREFIX: 'ready-test:',
      SHARDS: '1',
      LOG_LEVEL: 'silent',
    });
    const down = createApp({ config, db: db.db, sql: db.sql, redis, subscriber, logger: pino({ level: 'silent' }) });
    try {
      const response = await down.app.request('/ready');
      expect(response.status).toBe(503);
      const body = (await response.json()) as {
        error: { code: string; message: string };
        checks: { postgres: string; redis: string };
      };
      expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(body.error.message).toMatch(/postgres/);
      expect(body.error.message).toMatch(/redis/);
      expect(body.checks.postgres).toMatch(/^down/);
      expect(body.checks.redis).toMatch(/^down/);
      // Liveness does not depend on them.
      expect((await down.app.request('/health')).status).toBe(200);
    } finally {
      await down.close();
      redis.disconnect();
      subscriber.disconnect();
      await db.close();
    }
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text with request counts labelled by route pattern, never by raw path', async () => {
    const seller = await t.signUp();
    const auction = await t.createAuction(seller.token);
    expect((await t.request('GET', `/auctions/${auction.id}`)).status).toBe(200);
    expect((await t.request('GET', '/auctions/01900000-0000-7000-8000-000000000000')).status).toBe(404);

    const response = await fetchRaw('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('# TYPE dutch_http_requests_total counter');
    const samples = text.split('\n').filter((line) => line.startsWith('dutch_http_requests_total{'));
    expect(samples.length).toBeGreaterThan(0);
    for (const line of samples) {
      expect(line).toMatch(/route="[^"]*"/);
      expect(line).toMatch(/ \d+$/);
    }
    const count = (method: string, route: string, status: number) => {
      const line = samples.find(
        (l) => l.includes(`method="${method}"`) && l.includes(`route="${route}"`) && l.includes(`status="${status}"`),
      );
      return line === undefined ? 0 : Number(line.split(' ').at(-1));
    };
    expect(count('GET', '/auctions/:id', 200)).toBeGreaterThanOrEqual(1);
    expect(count('GET', '/auctions/:id', 404)).toBeGreaterThanOrEqual(1);
    expect(count('POST', '/auctions', 201)).toBeGreaterThanOrEqual(1);
    expect(count('POST', '/members', 201)).toBeGreaterThanOrEqual(1);
    // Ids never become labels: one series per route, whatever the id.
    expect(text).not.toContain(auction.id);
    expect(text).toContain('dutch_http_request_duration_seconds_bucket');
  });
});

/** The contract's endpoints, each with its methods. */
const CONTRACT: Record<string, string[]> = {
  '/members': ['post'],
  '/members/me': ['get'],
  '/members/me/points': ['post'],
  '/members/me/purchases': ['get'],
  '/members/me/sales': ['get'],
  '/auctions': ['get', 'post'],
  '/auctions/{id}': ['delete', 'get', 'patch'],
  '/auctions/{id}/events': ['get'],
  '/auctions/{id}/bids': ['post'],
  '/receipts/{id}': ['get'],
  '/receipts/{id}/refund': ['post'],
};
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every path of the contract with its methods', async () => {
    const reply = await t.request('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = reply.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    for (const [path, methods] of Object.entries(CONTRACT)) {
      expect(doc.paths[path], path).toBeDefined();
      const documented = Object.keys(doc.paths[path]).filter((key) => METHODS.has(key));
      expect(documented.sort(), path).toEqual(expect.arrayContaining(methods));
    }
  });

  it('is well formed: responses on every operation, declared path parameters, resolvable $refs, known security schemes', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const resolve = (ref: string) =>
      ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>(
          (node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
          doc,
        );
    const refs: string[] = [];
    const collect = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else collect(value);
        }
      }
    };
    collect(doc);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      expect(resolve(ref), ref).toBeDefined();
    }
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    const operationIds = new Set<string>();
    interface Parameter {
      readonly in: string;
      readonly name: string;
      readonly required?: boolean;
    }
    interface Operation {
      readonly responses?: Record<string, unknown>;
      readonly parameters?: Parameter[];
      readonly security?: Record<string, string[]>[];
      readonly operationId?: string;
    }
    for (const [path, item] of Object.entries<Record<string, Operation> & { parameters?: Parameter[] }>(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, entry] of Object.entries(item)) {
        const operation = entry as Operation;
        if (!METHODS.has(method)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        expect(Object.keys(operation.responses ?? {}).length, where).toBeGreaterThan(0);
        for (const status of Object.keys(operation.responses ?? {}))
          expect(status, where).toMatch(/^([1-5]\d\d|default)$/);
        const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
        for (const name of templated) {
          const param = params.find((p) => p.in === 'path' && p.name === name);
          expect(param, `${where} declares {${name}}`).toBeDefined();
          expect(param?.required).toBe(true);
        }
        const names = params.map((p) => `${p.in}:${p.name}`);
        expect(new Set(names).size, `${where} has no duplicate parameters`).toBe(names.length);
        for (const requirement of operation.security ?? []) {
          for (const scheme of Object.keys(requirement)) expect(schemes, where).toContain(scheme);
        }
        if (operation.operationId !== undefined) {
          expect(operationIds.has(operation.operationId), operation.operationId).toBe(false);
          operationIds.add(operation.operationId);
        }
      }
    }
    // The bid endpoint documents its Idempotency-Key header.
    const bidParams = doc.paths['/auctions/{id}/bids'].post.parameters as { in: string; name: string }[];
    expect(bidParams.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')).toBe(true);
  });
});

describe('GET /docs', () => {
  it('serves HTML that loads Swagger UI from local assets, each of which answers 200', async () => {
    const response = await fetchRaw('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/docs/assets/swagger-ui.css',
        '/docs/assets/swagger-ui-bundle.js',
        '/docs/assets/swagger-ui-standalone-preset.js',
      ]),
    );
    // Nothing from a CDN: the docs work offline.
    for (const url of urls) expect(url, url).toMatch(/^\/(?!\/)/);
    const types: [RegExp, RegExp][] = [
      [/\.css$/, /^text\/css/],
      [/\.js$/, /^text\/javascript|^application\/javascript/],
      [/\.png$/, /^image\/png/],
    ];
    for (const url of urls) {
      const asset = await fetchRaw(url);
      expect(asset.status, url).toBe(200);
      const type = types.find(([ext]) => ext.test(url))?.[1];
      if (type !== undefined) expect(asset.headers.get('content-type'), url).toMatch(type);
      expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
    const init = await (await fetchRaw('/docs/init.js')).text();
    expect(init).toContain('/openapi.json');
  });

  it('answers 404 in the error shape for an asset it does not have', async () => {
    for (const path of ['/docs/assets/nope.js', '/docs/assets/..%2Fpackage.json']) {
      const reply = await t.request('GET', path);
      expect(reply.status, path).toBe(404);
      expect(reply.body.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/auctions/01900000-0000-7000-8000-000000000000/nope'],
    ['POST', '/health'],
    ['PUT', '/auctions'],
    ['DELETE', '/members/me'],
  ])('%s %s answers 404 in the error shape', async (method, path) => {
    const reply = await t.request(method, path);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
