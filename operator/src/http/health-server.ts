// The operator's HTTP endpoint: /metrics (Prometheus text), /healthz (liveness) and /readyz (readiness).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly healthz: () => Check;
  readonly readyz: () => Check;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const answer = (check: Check) => {
      response.writeHead(check.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${check.ok ? 'ok' : 'not ok'}: ${check.detail}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    } else if (path === '/healthz' || path === '/livez') {
      answer(options.healthz());
    } else if (path === '/readyz') {
      answer(options.readyz());
    } else {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics, /healthz or /readyz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
