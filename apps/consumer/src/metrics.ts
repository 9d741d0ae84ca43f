import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ConsumerMetrics {
  readonly registry: Registry;
  readonly settled: Counter<'kind' | 'outcome'>;
  readonly duplicates: Counter;
  readonly batchSize: Histogram;
  readonly settleLatency: Histogram;
  readonly transactionSeconds: Histogram;
  /** Notifications stored in the inbox, by what decided them: a settlement, or the watch-alert scheduler. */
  readonly notificationsStored: Counter<'source'>;
  readonly poison: Counter;
  readonly deadLettered: Counter;
  readonly transientErrors: Counter;
  readonly pending: Gauge<'shard'>;
  readonly lag: Gauge<'shard'>;
  readonly ownedShards: Gauge;
}

/** One registry per consumer instance, so several can live in one process (tests) without clashing. */
export function createConsumerMetrics(labels: Record<string, string> = {}): ConsumerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  const registers = [registry];
  return { registry, ...createSettlementMetrics(registers), ...createHealthMetrics(registers) };
}

type SettlementMetrics = Pick<
  ConsumerMetrics,
  'settled' | 'duplicates' | 'batchSize' | 'settleLatency' | 'transactionSeconds' | 'notificationsStored'
>;

/** What settling did: outcomes, batches, and how long it took. */
function createSettlementMetrics(registers: Registry[]): SettlementMetrics {
  return {
    settled: new Counter({
      name: 'dutch_consumer_settled_total',
      help: 'Bids, refunds and closes settled, by kind and outcome (PURCHASED, LEADING, a failure reason, REFUNDED, closed, premature, ...)',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    duplicates: new Counter({
      name: 'dutch_consumer_duplicates_total',
      help: 'Redelivered entries whose receipt was already settled (acknowledged, nothing applied)',
      registers,
    }),
    batchSize: new Histogram({
      name: 'dutch_consumer_batch_size',
      help: 'Entries per stream read',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    settleLatency: new Histogram({
      name: 'dutch_consumer_settle_latency_seconds',
      help: 'From the gateway accepting a bid (acceptedAt) to its settlement committing',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    transactionSeconds: new Histogram({
      name: 'dutch_consumer_transaction_seconds',
      help: 'Duration of one auction settlement transaction',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    notificationsStored: new Counter({
      name: 'dutch_consumer_notifications_stored_total',
      help: 'Notifications stored (a repeat of one already stored is not counted), by source: settlement or watches',
      labelNames: ['source'],
      registers,
    }),
  };
}

type HealthMetrics = Omit<ConsumerMetrics, 'registry' | keyof SettlementMetrics>;

/** What went wrong, and how much is waiting. */
function createHealthMetrics(registers: Registry[]): HealthMetrics {
  return {
    poison: new Counter({
      name: 'dutch_consumer_poison_total',
      help: 'Entries that failed on their own merits (undecodable or rejected), left pending for retry',
      registers,
    }),
    deadLettered: new Counter({
      name: 'dutch_consumer_dead_lettered_total',
      help: 'Entries moved to the dead-letter stream after too many deliveries',
      registers,
    }),
    transientErrors: new Counter({
      name: 'dutch_consumer_transient_errors_total',
      help: 'Infrastructure errors (Postgres or Redis unreachable) retried after a pause',
      registers,
    }),
    pending: new Gauge({
      name: 'dutch_consumer_pending_entries',
      help: 'Entries delivered but not yet acknowledged, per shard',
      labelNames: ['shard'],
      registers,
    }),
    lag: new Gauge({
      name: 'dutch_consumer_stream_lag_entries',
      help: 'Entries in the stream not yet delivered to the group, per shard',
      labelNames: ['shard'],
      registers,
    }),
    ownedShards: new Gauge({ name: 'dutch_consumer_owned_shards', help: 'Shards this consumer owns', registers }),
  };
}

/** Drops a shard's per-shard series, once this consumer no longer reads that shard (its new owner reports them). */
export function forgetShardGauges(metrics: ConsumerMetrics, shard: number): void {
  const labels = { shard: String(shard) };
  metrics.pending.remove(labels);
  metrics.lag.remove(labels);
}
