import { AggregatorRegistry, type Registry } from 'prom-client';

export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * Under `npm start` several processes serve one port (node:cluster) and consumers run
 * beside them; a scrape lands on one process. That process asks the launcher, which asks
 * every process for its metrics (IPC) and sums them, so /metrics always shows the whole engine.
 */
let nextId = 0;
const waiting = new Map<number, (text: string) => void>();

export function metricsFromLauncher(fallback: () => Promise<string>): () => Promise<string> {
  if (process.send === undefined) return fallback;
  process.on('message', (message: { type?: string; id?: number; text?: string }) => {
    if (message?.type !== 'metrics-aggregate' || message.id === undefined) return;
    waiting.get(message.id)?.(message.text ?? '');
    waiting.delete(message.id);
  });
  return () =>
    new Promise<string>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        void fallback().then(resolve);
      }, 2_000);
      waiting.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      process.send?.({ type: 'metrics-collect', id });
    });
}

/** Answers a launcher's request for this process's metrics. */
export function answerMetricsRequests(collect: () => Promise<MetricsJson>): void {
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== 'metrics-request' || message.id === undefined) return;
    const id = message.id;
    collect()
      .then((metrics) => process.send?.({ type: 'metrics-response', id, metrics }))
      .catch(() => process.send?.({ type: 'metrics-response', id, metrics: [] }));
  });
}

export async function aggregate(parts: MetricsJson[]): Promise<string> {
  return AggregatorRegistry.aggregate(parts as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
}
