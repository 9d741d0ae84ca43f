import type { ChildProcess } from 'node:child_process';
import { isMessage, send } from '@dutch/runtime';
import { AggregatorRegistry } from 'prom-client';

type Parts = Parameters<typeof AggregatorRegistry.aggregate>[0];

/**
 * Under `npm start` several processes serve one port (node:cluster) and consumers run beside
 * them; a scrape lands on one gateway, which asks the launcher (metrics-collect). The launcher
 * asks every child for its metrics over IPC and answers with their sum, so /metrics always shows
 * the whole engine. A child that does not answer within a second counts as empty.
 */
export function answerMetricsCollection(child: ChildProcess, children: () => ChildProcess[]): void {
  child.on('message', (message: unknown) => {
    if (!isMessage(message, 'metrics-collect')) return;
    const id = message.id;
    void collectAll(children()).then((text) => send(child, { type: 'metrics-aggregate', id, text }));
  });
}

let nextRequest = 0;

async function collectAll(children: ChildProcess[]): Promise<string> {
  const parts = await Promise.all(children.map(askForMetrics));
  return aggregate(parts);
}

function askForMetrics(child: ChildProcess): Promise<readonly unknown[]> {
  return new Promise((resolve) => {
    const id = nextRequest++;
    const finish = (metrics: readonly unknown[]) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(metrics);
    };
    const onMessage = (message: unknown) => {
      if (isMessage(message, 'metrics-response') && message.id === id) finish(message.metrics);
    };
    const timer = setTimeout(() => finish([]), 1_000);
    child.on('message', onMessage);
    send(child, { type: 'metrics-request', id });
  });
}

export async function aggregate(parts: readonly (readonly unknown[])[]): Promise<string> {
  return AggregatorRegistry.aggregate(parts as Parts).metrics();
}
