import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** A bare /metrics endpoint for a consumer run on its own; null when port is 0. */
export function serveMetrics(registry: Registry, port: number): Server | null {
  if (port === 0) return null;
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch(() => res.writeHead(500).end());
  });
  server.listen(port);
  return server;
}
