import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly bidsAccepted: Counter;
  /** A leak shows here first: viewers and feeds must fall back when clients leave. */
  readonly liveViewers: Gauge;
  readonly liveFeeds: Gauge;
  /** Members' own notification streams (GET /members/me/events), and the members holding at least one. */
  readonly memberStreams: Gauge;
  readonly memberFeeds: Gauge;
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'dutch_http_requests_total',
      help: 'HTTP requests, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    duration: new Histogram({
      name: 'dutch_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    bidsAccepted: new Counter({ name: 'dutch_bids_accepted_total', help: 'Bids answered 202 (queued)', registers }),
    liveViewers: new Gauge({ name: 'dutch_sse_viewers', help: 'Open live (SSE) viewers of auctions', registers }),
    liveFeeds: new Gauge({
      name: 'dutch_live_feeds',
      help: 'Auctions with a live feed (one price timer each) for their viewers',
      registers,
    }),
    memberStreams: new Gauge({
      name: 'dutch_member_streams',
      help: 'Open notification streams (SSE) of members',
      registers,
    }),
    memberFeeds: new Gauge({
      name: 'dutch_member_feeds',
      help: 'Members with at least one open notification stream',
      registers,
    }),
  };
}

/**
 * Counts a request and its latency under its method, route pattern and status. prom-client
 * hashes a label object on every call; a child per label set, kept, costs a map lookup instead
 * (it showed in the bid path's profiles).
 */
export function requestRecorder(
  metrics: GatewayMetrics,
): (method: string, route: string, status: number, seconds: number) => void {
  const children = new Map<string, { count: { inc(): void }; time: { observe(seconds: number): void } }>();
  return (method, route, status, seconds) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (child === undefined) {
      const labels = { method, route, status: String(status) };
      child = { count: metrics.requests.labels(labels), time: metrics.duration.labels(labels) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
}
