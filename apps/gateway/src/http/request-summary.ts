import type { Logger } from 'pino';

/**
 * The bid route's request log, aggregated: one line per route per interval (by default a second)
 * with how many requests it answered, by status, and their latency (p50, p99, max), instead of a
 * line per request. A Dutch drop brings thousands of bids in a second; a line each cost the
 * gateway about an eighth of its CPU and said nothing the summary does not. Every request is
 * counted; answers of 500 and over are still logged one by one where they are handled.
 */
export class RequestSummary {
  private counts = new Map<number, number>();
  private latencies: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly route: string,
    intervalMs = 1_000,
    /** Latencies kept per interval for the percentiles (the counts stay exact beyond it). */
    private readonly sampleLimit = 50_000,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  record(status: number, ms: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
    if (this.latencies.length < this.sampleLimit) this.latencies.push(ms);
  }

  /** Logs what was recorded since the last flush, if anything. */
  flush(): void {
    if (this.counts.size === 0) return;
    const statuses: Record<string, number> = {};
    let requests = 0;
    for (const [status, count] of this.counts) {
      statuses[status] = count;
      requests += count;
    }
    const sorted = this.latencies.sort((a, b) => a - b);
    const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    this.logger.info(
      { route: this.route, requests, statuses, ms: { p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1) ?? 0) } },
      'requests',
    );
    this.counts = new Map();
    this.latencies = [];
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
