import { captureLogs } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { RequestSummary } from './request-summary.ts';

describe('RequestSummary', () => {
  it('logs one line per interval counting every request by status, with latency percentiles', async () => {
    const { lines, logger } = captureLogs();
    const summary = new RequestSummary(logger, '/auctions/:id/bids', 60_000);
    for (let i = 1; i <= 100; i++) summary.record(i % 10 === 0 ? 409 : 202, i);
    summary.flush();
    summary.flush();
    summary.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'requests',
      route: '/auctions/:id/bids',
      requests: 100,
      statuses: { 202: 90, 409: 10 },
      ms: { p50: 51, p99: 100, max: 100 },
    });
  });

  it('keeps counting past its latency sample limit', async () => {
    const { lines, logger } = captureLogs();
    const summary = new RequestSummary(logger, '/r', 60_000, 10);
    for (let i = 0; i < 25; i++) summary.record(202, 1);
    summary.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatchObject({ requests: 25, statuses: { 202: 25 } });
  });
});
