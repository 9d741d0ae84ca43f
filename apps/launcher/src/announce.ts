import { send } from '@dutch/runtime';
import type { LauncherConfig } from './config.ts';

/**
 * Says where to look once every gateway listens and every consumer is ready: lines for a person
 * on stdout and, when whoever spawned the launcher gave it an IPC channel (the bench, a test), a
 * typed engine-ready message, so no program has to read the console text for the URL.
 */
export function announceWhenReady(config: LauncherConfig) {
  let port: number | null = null;
  let consumersReady = 0;
  let announced = false;
  const announce = () => {
    if (port === null || consumersReady < config.consumers || announced) return;
    announced = true;
    const url = `http://localhost:${port}`;
    printUrls(url, config);
    send(process, {
      type: 'engine-ready',
      url,
      docsUrl: `${url}/docs`,
      metricsUrl: `${url}/metrics`,
      gateways: config.workers,
      consumers: config.consumers,
    });
  };
  return {
    gatewayListening(listeningPort: number): void {
      port = listeningPort;
      announce();
    },
    consumerReady(): void {
      consumersReady++;
      announce();
    },
  };
}

function printUrls(base: string, config: LauncherConfig): void {
  console.log(
    [
      '',
      'Auction engine is running (Dutch and English)',
      `  Live auctions  ${base}/`,
      `  API docs       ${base}/docs`,
      `  Metrics        ${base}/metrics`,
      `  ${config.workers} gateway process(es), ${config.consumers} consumer(s), ${config.shards} shards`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}
