import type { TraceHealth } from './gc-trace.ts';
import type { RunFigures } from './phases.ts';
import type { PeakRss } from './processes.ts';
import type { Summary } from './stats.ts';
import type { Check } from './verify.ts';
import type { AlertTiming } from './watchers-figures.ts';

export interface PhaseChecks {
  readonly phase: string;
  readonly checks: readonly Check[];
}

export interface SyncFigures {
  readonly run: RunFigures;
  readonly auctions: number;
  readonly receipts: number;
  /** Bids settled (receipts written) per second of the run. */
  readonly settledPerSecond: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

export interface Drain {
  /** Receipts per second from the release to the last settlement batch (Postgres timestamps; see drainRate). */
  readonly rate: number;
  readonly receipts: number;
  /** From releasing the auctions' rows to the last receipt's settled_at. */
  readonly releaseToLastMs: number;
  /** From releasing the auctions' rows until the bench saw every receipt final. */
  readonly observedMs: number;
}

export interface Timeline {
  readonly bucketMs: number;
  /** Epoch ms of bucket 0. */
  readonly origin: number;
  readonly accepted: readonly number[];
  readonly settled: readonly number[];
  readonly markers: readonly { readonly atMs: number; readonly label: string }[];
}

export interface MemoryFigures {
  readonly gatewayPeakBytes: number | null;
  readonly consumerPeakBytes: number | null;
  readonly processes: readonly PeakRss[];
}

export interface BurstFigures {
  readonly moment: {
    readonly max: RunFigures;
    readonly accepted: number;
    readonly receipts: number;
    readonly outcomes: Readonly<Record<string, number>>;
    readonly firstBidToLastFinalMs: number;
    readonly lastAcceptedToLastFinalMs: number;
    readonly acceptSettleMs: Summary;
  };
  readonly backlog: {
    readonly max: RunFigures;
    readonly fixed: RunFigures;
    readonly accepted: number;
    readonly outcomes: Readonly<Record<string, number>>;
    readonly drain: Drain;
  };
  readonly memory: MemoryFigures;
  readonly timelines: { readonly moment: Timeline; readonly backlog: Timeline };
  readonly engineWarnings: Readonly<Record<string, number>>;
}

/** One side of a paired trial: its run, and what the server's own processes spent per request. */
export interface GatewaySide {
  readonly run: RunFigures;
  /** 2xx answers per second (bare hono answers every request 202). */
  readonly acceptedPerSecond: number;
  /** Cores the server's own processes used: the gateway workers, or the bare server. */
  readonly serverCores: number | null;
  /** serverCores × seconds / answers. */
  readonly cpuMicrosPerRequest: number | null;
  /** V8 heap bytes the server's workers allocated per answer (see gc-trace.ts); null when not measured. */
  readonly bytesPerRequest: number | null;
}

/** Bare hono and the gateway, one run each, back to back (see gateway-trials.ts). */
export interface GatewayTrial {
  readonly trial: number;
  readonly order: 'bare first' | 'gateway first';
  readonly bare: GatewaySide;
  readonly gateway: GatewaySide;
  /** Gateway accepted bids/s ÷ bare hono answers/s. */
  readonly ratio: number;
  /** The same per core each server used. */
  readonly perCoreRatio: number | null;
  /** Gateway p99 ÷ bare hono p99. */
  readonly p99Ratio: number;
  readonly met: { readonly rate: boolean; readonly p99: boolean; readonly both: boolean };
}

/** The gateway scenario (issue 14): paired trials against bare hono, settlement held. */
export interface GatewayFigures {
  readonly trials: readonly GatewayTrial[];
  /** 202s over every gateway run (the held backlog verified afterwards). */
  readonly accepted: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** What the GC trace behind the allocation figures looked like (see gc-trace.ts). */
  readonly gcTrace: TraceHealth;
  readonly memory: MemoryFigures;
  readonly engineWarnings: Readonly<Record<string, number>>;
}

export interface SpreadFigures {
  readonly auctions: number;
  readonly max: RunFigures;
  readonly accepted: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly drain: Drain;
  readonly memory: MemoryFigures;
  readonly engineWarnings: Readonly<Record<string, number>>;
}

export interface LagSample {
  /** ms since the run started. */
  readonly t: number;
  readonly lag: number;
  readonly pending: number;
}

export interface SustainedFigures {
  readonly auctions: number;
  readonly rate: number;
  readonly rateSource: string;
  readonly run: RunFigures;
  readonly accepted: number;
  readonly acceptSettleMs: Summary;
  /** Receipts settled per second over the run (equals the accepted rate when consumers keep up). */
  readonly settledPerSecond: number;
  readonly lag: readonly LagSample[];
  readonly maxLag: number;
  readonly maxPending: number;
  readonly memory: MemoryFigures;
  readonly engineWarnings: Readonly<Record<string, number>>;
}

/** English settlement from Postgres's settled_at: every receipt, and those that led at their turn. */
export interface LeadingRate {
  readonly receipts: number;
  /** Receipts that led at their turn (OUTBID, WON, RESERVE_NOT_MET or still LEADING). */
  readonly leading: number;
  readonly receiptsPerSecond: number;
  readonly leadingPerSecond: number;
}

/** The synchronous design taking the sniping scenario's English bids, one transaction each. */
export interface SyncEnglishFigures {
  readonly run: RunFigures;
  readonly receipts: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly settled: LeadingRate;
}

export interface SnipingFigures {
  readonly buyers: number;
  readonly run: RunFigures;
  readonly accepted: number;
  /** 202 answers per second of the run. */
  readonly acceptedPerSecond: number;
  /** Receipts by their outcome at their turn (LEADING or the failure reason). */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly settled: LeadingRate;
  readonly acceptSettleMs: Summary;
  readonly auction: {
    readonly startPrice: number;
    readonly reservePrice: number | null;
    readonly extendSeconds: number;
    readonly scheduledEndsAt: string;
    readonly endsAt: string;
    readonly extensions: number;
    readonly highBid: number | null;
    /** WON, RESERVE_NOT_MET, or 'unsold'. */
    readonly result: string;
    /** From the final end to closed_at (the close grace plus the closer's and the consumer's delay). */
    readonly closedAfterEndMs: number | null;
  };
  /** 409 AUCTION_NOT_RUNNING at once: sent before the end as extended by then (the gateway had not heard), and after the end. */
  readonly lateness: { readonly refusedBeforeExtendedEnd: number; readonly refusedAfterEnd: number };
  readonly memory: MemoryFigures;
  readonly engineWarnings: Readonly<Record<string, number>>;
}

export interface UniformFigures {
  readonly run: RunFigures;
  readonly accepted: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** PURCHASED receipts by the unit price they were stamped at. */
  readonly prices: Readonly<Record<string, number>>;
  readonly clearingPrice: number | null;
  readonly rebated: number;
  readonly rebateTotal: number;
  /** From endsAt to closed_at. */
  readonly closedAfterEndMs: number | null;
  readonly memory: MemoryFigures;
  readonly engineWarnings: Readonly<Record<string, number>>;
}

/** The watchers scenario (issue 13): one Dutch price drop, thousands of price_alerts. */
export interface WatchersFigures {
  /** Watchers whose alert price the drop reaches, and those it does not. */
  readonly reached: number;
  readonly unreached: number;
  /** The PUT /auctions/:id/watch run: one request per watcher. */
  readonly watch: RunFigures;
  /** The same PUTs first, on the scheduled warm-up auction: what the drop's distance was chosen from. */
  readonly calibrationPerSecond: number;
  readonly drop: {
    readonly at: string;
    readonly afterStartSeconds: number;
    readonly priceBefore: number;
    readonly priceAfter: number;
  };
  readonly alerts: AlertTiming;
  /** Whether every reached watcher's alert was visible within a second of the drop. */
  readonly withinOneSecond: boolean;
  /** The sampled member streams (GET /members/me/events): how many, and drop → event received. */
  readonly streams: { readonly opened: number; readonly reached: number; readonly delayMs: Summary };
  readonly memory: MemoryFigures;
  readonly engineWarnings: Readonly<Record<string, number>>;
}

export interface Target {
  readonly name: string;
  readonly value: string;
  readonly reference: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | null;
}

export interface RunResults {
  readonly startedAt: string;
  finishedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadAverage: readonly number[] };
  readonly settings: Readonly<Record<string, unknown>>;
  readonly references: {
    bare?: RunFigures;
    /** The same bare-hono run again after the engine's scenarios. */
    bareAfter?: RunFigures;
    syncHot?: SyncFigures;
    syncSpread?: SyncFigures;
    syncEnglish?: SyncEnglishFigures;
  };
  gateway?: GatewayFigures;
  burst?: BurstFigures;
  spread?: SpreadFigures;
  sustained?: SustainedFigures;
  sniping?: SnipingFigures;
  uniform?: UniformFigures;
  watchers?: WatchersFigures;
  readonly verification: PhaseChecks[];
  targets: Target[];
  profiles?: Readonly<Record<string, unknown>>;
}
