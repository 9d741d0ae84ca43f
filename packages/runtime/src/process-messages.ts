/**
 * What the launcher (`npm start`) and its children say to each other over IPC, and what the
 * launcher tells whoever spawned it: one typed union, so a renamed field fails the type check in
 * every process instead of being silently ignored by one of them.
 */
export type ProcessMessage =
  /** A gateway → the launcher: it listens (on this port, when the kernel picked it). */
  | { readonly type: 'listening'; readonly port: number }
  /** A gateway → the launcher: it cannot run here (port taken); line says why, once. */
  | { readonly type: 'fatal'; readonly line: string }
  /** A consumer → the launcher: it has joined its groups and is settling. */
  | { readonly type: 'ready' }
  /** A gateway → the launcher: a scrape landed here; sum every process's metrics. */
  | { readonly type: 'metrics-collect'; readonly id: number }
  /** The launcher → that gateway: the summed metrics, as Prometheus text. */
  | { readonly type: 'metrics-aggregate'; readonly id: number; readonly text: string }
  /** The launcher → every child: send your metrics (prom-client's getMetricsAsJSON()). */
  | { readonly type: 'metrics-request'; readonly id: number }
  | { readonly type: 'metrics-response'; readonly id: number; readonly metrics: readonly unknown[] }
  /** The launcher → its own parent (the bench, a test): the engine is up and answers here. */
  | {
      readonly type: 'engine-ready';
      readonly url: string;
      readonly docsUrl: string;
      readonly metricsUrl: string;
      readonly gateways: number;
      readonly consumers: number;
    };

export type MessageType = ProcessMessage['type'];
export type MessageOf<T extends MessageType> = Extract<ProcessMessage, { type: T }>;

/**
 * The exit code of a child that must not be restarted: its cause (a port taken by another
 * program) will not go away by trying again, so the launcher gives up and says why.
 */
export const FATAL_EXIT_CODE = 78;

const FIELDS: { readonly [T in MessageType]: Readonly<Record<string, 'number' | 'string' | 'array'>> } = {
  listening: { port: 'number' },
  fatal: { line: 'string' },
  ready: {},
  'metrics-collect': { id: 'number' },
  'metrics-aggregate': { id: 'number', text: 'string' },
  'metrics-request': { id: 'number' },
  'metrics-response': { id: 'number', metrics: 'array' },
  'engine-ready': { url: 'string', docsUrl: 'string', metricsUrl: 'string', gateways: 'number', consumers: 'number' },
};

/** True when value is a message of this type with every field it needs (IPC carries anything). */
export function isMessage<T extends MessageType>(value: unknown, type: T): value is MessageOf<T> {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== type) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(FIELDS[type]).every(([field, kind]) =>
    kind === 'array' ? Array.isArray(record[field]) : typeof record[field] === kind,
  );
}

/** Anything with an IPC channel: a forked child, a cluster worker's process, or this process. */
interface Channel {
  send?(
    message: ProcessMessage,
    handle?: undefined,
    options?: undefined,
    callback?: (error: Error | null) => void,
  ): boolean;
}

/** Sends a message if there is an IPC channel; false when there is none (run on its own). */
export function send(to: Channel, message: ProcessMessage, callback?: () => void): boolean {
  if (to.send === undefined) return false;
  to.send(message, undefined, undefined, callback);
  return true;
}

/** A child's side of metrics collection: answers the launcher's metrics-request with collect(). */
export function answerMetricsRequests(collect: () => Promise<readonly unknown[]>): void {
  process.on('message', (message: unknown) => {
    if (!isMessage(message, 'metrics-request')) return;
    const reply = (metrics: readonly unknown[]) => send(process, { type: 'metrics-response', id: message.id, metrics });
    collect().then(reply, () => reply([]));
  });
}

let nextCollection = 0;
const waiting = new Map<number, (text: string) => void>();
let listening = false;

/**
 * A gateway's /metrics under the launcher: several processes serve one port and consumers run
 * beside them, so a scrape asks the launcher to sum every process's metrics. Run on its own (no
 * IPC channel), or when the launcher does not answer in 2 s, it is fallback (this process only).
 */
export function metricsFromLauncher(fallback: () => Promise<string>): () => Promise<string> {
  if (process.send === undefined) return fallback;
  if (!listening) {
    listening = true;
    process.on('message', (message: unknown) => {
      if (!isMessage(message, 'metrics-aggregate')) return;
      waiting.get(message.id)?.(message.text);
      waiting.delete(message.id);
    });
  }
  return () =>
    new Promise<string>((resolve) => {
      const id = nextCollection++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        void fallback().then(resolve);
      }, 2_000);
      waiting.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      send(process, { type: 'metrics-collect', id });
    });
}
