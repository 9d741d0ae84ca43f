export interface ShutdownOptions {
  /** Finishes what is in hand and closes every connection. */
  readonly stop: (signal: string) => Promise<void>;
  /** Past this the process exits 1 whatever stop() is doing. */
  readonly graceMs: number;
  readonly onForced?: () => void;
  /** Defaults to process.exit; tests pass their own. */
  readonly exit?: (code: number) => void;
}

export interface Shutdown {
  /** True once a signal (or a call) started the shutdown. */
  readonly stopping: () => boolean;
  /** Starts the shutdown as a signal would; later calls wait for the same one. */
  readonly begin: (signal: string) => Promise<void>;
}

/**
 * The one shutdown every process uses: on SIGTERM or SIGINT, once, stop() and exit 0, or exit 1
 * if that takes longer than graceMs (a hung connection must not keep a stopped process alive).
 */
export function handleShutdown(options: ShutdownOptions): Shutdown {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let done: Promise<void> | null = null;
  const begin = (signal: string): Promise<void> => {
    done ??= (async () => {
      const force = setTimeout(() => {
        options.onForced?.();
        exit(1);
      }, options.graceMs);
      force.unref();
      try {
        await options.stop(signal);
        exit(0);
      } finally {
        clearTimeout(force);
      }
    })();
    return done;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void begin(signal));
  return { stopping: () => done !== null, begin };
}
