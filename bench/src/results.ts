import type { RunFigures } from './phases.ts';
import type { PeakRss } from './processes.ts';
import type { Summary } from './stats.ts';
import type { Check } from './verify.ts';

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
  };
  burst?: BurstFigures;
  spread?: SpreadFigures;
  sustained?: SustainedFigures;
  readonly verification: PhaseChecks[];
  targets: Target[];
  profiles?: Readonly<Record<string, unknown>>;
}
