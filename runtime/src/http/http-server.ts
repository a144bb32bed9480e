// The HTTP listener on HTTP_PORT: `/api/status`, `/api/migrations`, and the upgrade to the Satellite WebSocket at
// `/ws` (attached by ws/websocket-server.ts to the server this returns). Anything else is 404.
import http from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { SchemaCatalog } from '../sync/schema-catalog.ts';
import type { Readiness } from '../upstream/replication-service.ts';
import { serveMigrations } from './migrations-endpoint.ts';

export interface HttpServerOptions {
  readonly port: number;
  readonly listenOnIpv6: boolean;
  readonly readiness: () => Readiness;
  /** Undefined until the database is prepared; /api/migrations answers 503 meanwhile. */
  readonly catalog: () => SchemaCatalog | undefined;
  readonly logger: Logger;
}

export interface RunningHttpServer {
  readonly server: http.Server;
  readonly port: number;
  /** Stops accepting connections and closes idle ones; resolves when all are closed. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/$/, '');
    if (path === '/api/status') return sendStatus(response, options.readiness());
    // Upgrades to /ws never reach here (ws/websocket-server.ts takes them); a plain request to /ws is a bad upgrade.
    if (path === '/ws') return void response.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
    if (path === '/api/migrations' && request.method === 'GET') {
      const catalog = options.catalog();
      if (!catalog) return void response.writeHead(503, { 'content-type': 'text/plain' }).end('Initializing connection to Posgres...');
      return serveMigrations(url, response, catalog);
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  const host = options.listenOnIpv6 ? '::' : '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  options.logger.info('HTTP server listening', { host, port });
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

// The first sentence of each text is Electric's (plug/status.ex), including its spelling, so existing health checks
// keep matching; what follows says what the service is doing or waiting for.
function sendStatus(response: http.ServerResponse, status: Readiness): void {
  switch (status.state) {
    case 'ready':
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`Connection to Postgres is up! (${status.detail})`);
      return;
    case 'initializing':
      response.writeHead(503, { 'content-type': 'text/plain' }).end(`Initializing connection to Posgres... (${status.detail})`);
      return;
    case 'unavailable':
      response
        .writeHead(503, { 'content-type': 'text/plain', 'retry-after': String(Math.max(1, Math.ceil(status.retryInMs / 1000))) })
        .end(`Database connection failure. Waiting to reconnect: ${status.reason}`);
      return;
  }
}
