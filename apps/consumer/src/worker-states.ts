/**
 * Named states for the shard worker, as pg-boss keeps its worker's (`WORKER_STATES`): each list is
 * frozen and its transitions are declared here, in one place, so a move the design does not
 * allow fails loudly instead of leaving a flag half-set.
 */

/** The worker's life: run() makes it active, stop() asks it to finish what it holds, then it is stopped. */
export const WORKER_STATES = Object.freeze(['created', 'active', 'stopping', 'stopped'] as const);
export type WorkerState = (typeof WORKER_STATES)[number];

const WORKER_TRANSITIONS: Readonly<Record<WorkerState, readonly WorkerState[]>> = Object.freeze({
  created: ['active', 'stopping'],
  active: ['stopping', 'stopped'],
  stopping: ['stopped'],
  stopped: [],
});

/**
 * What the reader's next step does. `recovering`: settle every entry pending in the group (ours
 * and a previous owner's) in id order before anything new is read; `reading`: read new entries.
 */
export const READ_STATES = Object.freeze(['recovering', 'reading'] as const);
export type ReadState = (typeof READ_STATES)[number];

const READ_TRANSITIONS: Readonly<Record<ReadState, readonly ReadState[]>> = Object.freeze({
  recovering: ['reading'],
  reading: ['recovering'],
});

export type OnTransition<S extends string> = (from: S, to: S, why: string) => void;

/** One state and the moves allowed from it. Moving to the state already held is a no-op. */
export class StateMachine<S extends string> {
  private current: S;

  constructor(
    private readonly name: string,
    initial: S,
    private readonly transitions: Readonly<Record<S, readonly S[]>>,
    private readonly onTransition: OnTransition<S> = () => {},
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  is(state: S): boolean {
    return this.current === state;
  }

  /** Moves to `next`; `why` is logged, and says what made the move necessary. */
  moveTo(next: S, why: string): void {
    const from = this.current;
    if (next === from) return;
    if (!this.transitions[from].includes(next)) {
      throw new Error(`${this.name}: no transition from ${from} to ${next} (${why})`);
    }
    this.current = next;
    this.onTransition(from, next, why);
  }
}

export function createWorkerStates(onTransition?: OnTransition<WorkerState>): StateMachine<WorkerState> {
  return new StateMachine<WorkerState>('shard worker', 'created', WORKER_TRANSITIONS, onTransition);
}

/**
 * The watch-alert scheduler (watch-alerts.ts) lives the same life as a worker: started with the
 * consumer, asked to stop, stopped once its look in flight is done. One per process, not per shard.
 */
export function createSchedulerStates(onTransition?: OnTransition<WorkerState>): StateMachine<WorkerState> {
  return new StateMachine<WorkerState>('watch alerts', 'created', WORKER_TRANSITIONS, onTransition);
}

/** A new owner starts by recovering: whatever a previous owner left pending settles first. */
export function createReadStates(onTransition?: OnTransition<ReadState>): StateMachine<ReadState> {
  return new StateMachine<ReadState>('shard reader', 'recovering', READ_TRANSITIONS, onTransition);
}
