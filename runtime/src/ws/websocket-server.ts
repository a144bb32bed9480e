// Accepts Satellite WebSocket connections on /ws of the HTTP server: checks the upgrade (upgrade-check.ts), echoes
// the sub-protocol, keeps connections alive with pings, refuses oversized frames, and hands each connection to a
// session. One client's failure never touches another's.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logging/logger.ts';
import { checkUpgrade } from './upgrade-check.ts';

/** Electric pings a client after 20 s of silence and gives up after one more silent interval. */
export const pingIntervalMs = 20_000;
/** Largest frame we accept from a client: a generous bound for a batch of local writes. */
export const maxClientFrameBytes = 16 * 1024 * 1024;

export interface SatelliteConnection {
  readonly socket: WebSocket;
  readonly protocol: string;
  readonly remoteAddress: string;
}

export interface WebSocketServerOptions {
  readonly httpServer: http.Server;
  readonly readiness: () => { ready: boolean; detail: string };
  readonly logger: Logger;
  /** Starts a session for an accepted connection. */
  readonly onConnection: (connection: SatelliteConnection) => void;
  readonly pingIntervalMs?: number;
}

export interface RunningWebSocketServer {
  readonly connectionCount: () => number;
  /** Closes every connection with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>;
}

export function attachWebSocketServer(options: WebSocketServerOptions): RunningWebSocketServer {
  const { logger } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxClientFrameBytes,
    perMessageDeflate: false,
    // The sub-protocol was chosen by checkUpgrade; ws must echo exactly it (Node clients abort otherwise).
    handleProtocols: (_protocols, request) => (request as http.IncomingMessage & { satelliteProtocol?: string }).satelliteProtocol ?? false,
  });

  options.httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws') return refuse(socket, 404, 'Not found');
    const decision = checkUpgrade(request.headers, options.readiness());
    if (!decision.ok) {
      logger.info('refused a WebSocket upgrade', { status: decision.status, reason: decision.message });
      return refuse(socket, decision.status, decision.message);
    }
    (request as http.IncomingMessage & { satelliteProtocol?: string }).satelliteProtocol = decision.protocol;
    wss.handleUpgrade(request, socket, head, (ws) => {
      keepAlive(ws, options.pingIntervalMs ?? pingIntervalMs);
      options.onConnection({ socket: ws, protocol: decision.protocol, remoteAddress: request.socket.remoteAddress ?? '' });
    });
  });

  return {
    connectionCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'Server shutting down');
        wss.close(() => resolve());
        // Sockets that do not finish the closing handshake promptly are cut.
        setTimeout(() => wss.clients.forEach((client) => client.terminate()), 2_000).unref();
      }),
  };
}

/**
 * Pings after an interval without any message, ping or pong from the client, and closes after one more silent
 * interval (Electric: 1005 "Client not responding to pings"; 1005 cannot be sent on the wire, so we use 1001).
 */
function keepAlive(ws: WebSocket, intervalMs: number): void {
  let heardFrom = true;
  let pinged = false;
  const mark = () => {
    heardFrom = true;
    pinged = false;
  };
  ws.on('message', mark);
  ws.on('pong', mark);
  ws.on('ping', mark);
  const timer = setInterval(() => {
    if (heardFrom) {
      heardFrom = false;
      return;
    }
    if (!pinged) {
      pinged = true;
      ws.ping();
      return;
    }
    ws.close(1001, 'Client not responding to pings');
    setTimeout(() => ws.terminate(), 1_000).unref();
  }, intervalMs);
  timer.unref();
  ws.once('close', () => clearInterval(timer));
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = status === 400 ? 'Bad Request' : status === 404 ? 'Not Found' : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
