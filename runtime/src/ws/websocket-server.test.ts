import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { createLogger } from '../logging/logger.ts';
import { attachWebSocketServer } from './websocket-server.ts';

async function startServer(t: { after(fn: () => unknown): void }, pingIntervalMs: number) {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const websockets = attachWebSocketServer({
    httpServer: server,
    readiness: () => ({ ready: true, detail: 'test' }),
    logger: createLogger({ level: 'error' }),
    onConnection: () => {},
    pingIntervalMs,
  });
  t.after(async () => {
    await websockets.close();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as { port: number };
  return `ws://127.0.0.1:${port}/ws`;
}

function open(url: string, options: { autoPong: boolean }) {
  const socket = new WebSocket(url, ['electric.0.12'], options);
  const closed = new Promise<{ code: number; reason: string; pings: number }>((resolve) => {
    let pings = 0;
    socket.on('ping', () => pings++);
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), pings }));
  });
  return { socket, closed, opened: new Promise((resolve) => socket.once('open', resolve)) };
}

test('a silent client that does not answer pings is pinged, then closed', async (t) => {
  const url = await startServer(t, 50);
  const client = open(url, { autoPong: false });
  await client.opened;
  assert.equal(client.socket.protocol, 'electric.0.12', 'the sub-protocol is echoed');
  const { code, reason, pings } = await client.closed;
  assert.equal(code, 1001);
  assert.equal(reason, 'Client not responding to pings');
  assert.ok(pings >= 1, 'it was pinged before being closed');
});

test('a client that answers pings stays connected', async (t) => {
  const url = await startServer(t, 50);
  const client = open(url, { autoPong: true });
  await client.opened;
  await new Promise((resolve) => setTimeout(resolve, 500)); // ten intervals
  assert.equal(client.socket.readyState, WebSocket.OPEN);
  client.socket.close();
});
