// The HTTP listener on HTTP_PORT: `/api/status` now; the Satellite WebSocket (`/ws`) and the migrations API join it.
import http from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { DatabaseStatus } from '../upstream/database-probe.ts';

export interface HttpServerOptions {
  readonly port: number;
  readonly listenOnIpv6: boolean;
  readonly databaseStatus: () => DatabaseStatus;
  readonly logger: Logger;
}

export interface RunningHttpServer {
  readonly port: number;
  /** Stops accepting connections and closes idle ones; resolves when all are closed. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/status' || path === '/api/status/') return sendStatus(response, options.databaseStatus());
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
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

// The texts are Electric's (plug/status.ex), including its spelling, so existing health checks keep matching.
function sendStatus(response: http.ServerResponse, status: DatabaseStatus): void {
  switch (status.state) {
    case 'ready':
      response.writeHead(200, { 'content-type': 'text/plain' }).end('Connection to Postgres is up!');
      return;
    case 'initializing':
      response.writeHead(503, { 'content-type': 'text/plain' }).end('Initializing connection to Posgres...');
      return;
    case 'unreachable':
      response
        .writeHead(503, { 'content-type': 'text/plain', 'retry-after': String(Math.ceil(status.retryInMs / 1000)) })
        .end(`Database connection failure. Waiting to reconnect: ${status.reason}`);
      return;
  }
}
