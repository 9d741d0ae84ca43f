import type { ChildProcess } from 'node:child_process';
import { calculateDelay, FATAL_EXIT_CODE } from '@dutch/runtime';
import type { Logger } from 'pino';

/** 250 ms after a first crash, doubling while it keeps crashing, never more than 10 s. */
const RESTART_BACKOFF = { baseMs: 250, maxMs: 10_000 };

export interface Supervised {
  readonly name: string;
  /** Starts (or restarts) the process. */
  spawn(): ChildProcess;
}

/**
 * Keeps a set of processes running: one that dies unexpectedly is started again after a
 * pause that grows while it keeps dying, so a broken process does not spin. One that exits
 * with FATAL_EXIT_CODE said it cannot run here (its port is taken): restarting would only
 * repeat that, so it is left down and onFatal decides what happens to the rest.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    private readonly onFatal: (name: string) => void = () => {},
  ) {}

  run(process: Supervised, onStart: (child: ChildProcess) => void, attempt = 0): void {
    const child = process.spawn();
    const started = Date.now();
    this.children.set(process.name, child);
    onStart(child);
    child.once('exit', (code, signal) => {
      if (this.children.get(process.name) === child) this.children.delete(process.name);
      if (this.stopping) return;
      if (code === FATAL_EXIT_CODE) return this.onFatal(process.name);
      const healthy = Date.now() - started > 10_000;
      const next = healthy ? 0 : attempt + 1;
      const delay = calculateDelay(next, RESTART_BACKOFF);
      this.logger.warn({ process: process.name, code, signal, restartInMs: delay }, 'process exited; restarting');
      setTimeout(() => this.run(process, onStart, next), delay).unref();
    });
  }

  all(): ChildProcess[] {
    return [...this.children.values()];
  }

  /** Asks every process to stop (SIGTERM), and kills the ones still there after graceMs. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const exits = this.all().map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    const timer = setTimeout(() => {
      for (const child of this.all()) child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }
}
