import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoutes } from './web-routes.ts';

// webRoutes against a throwaway build, so this runs without Vite or a gateway.
describe('webRoutes', () => {
  let dist: string;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'web-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>page</title>');
    await writeFile(join(dist, 'assets', 'index-Ab12_c.js'), 'console.log(1)');
    await writeFile(join(dist, 'assets', 'index-Zz9.css'), 'body{}');
    await writeFile(join(dist, 'secret.txt'), 'not an asset');
  });

  afterAll(() => rm(dist, { recursive: true, force: true }));

  it('serves index.html at / for revalidation on every load', async () => {
    const res = await webRoutes({ distDir: dist }).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<title>page</title>');
  });

  it('serves hashed assets with their type, cached for a year', async () => {
    const app = webRoutes({ distDir: dist });
    const js = await app.request('/assets/index-Ab12_c.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await app.request('/assets/index-Zz9.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await webRoutes({ distDir: dist }).request('/assets/index-Ab12_c.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each(['/assets/missing-1.js', '/assets/..%2Fsecret.txt', '/assets/.hidden', '/assets/%2e%2e%2fsecret.txt'])(
    'refuses %s with the API error shape',
    async (path) => {
      const res = await webRoutes({ distDir: dist }).request(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    },
  );

  it('says to build the page when there is no build', async () => {
    const res = await webRoutes({ distDir: join(dist, 'nowhere') }).request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('npm run build:web');
  });
});
