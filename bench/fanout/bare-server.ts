// The baseline of the fan-out benchmark: a bare `ws` WebSocketServer on loopback, run as a child process of the
// harness (as the runtime is), that sends one given frame to every connected client when told to.
//
// It does nothing per client but `ws.send(frame)`: the same Buffer, encoded once, no per-client filtering, acks or
// bookkeeping. That is the floor our runtime's fan-out is compared with.
//
// IPC with the harness (child_process.fork):
//   ← { type: 'frame', base64 }                 the bytes to broadcast (our real SatOpLog, captured by the harness)
//   ← { type: 'broadcast', seq }                send the frame to every client now
//   → { type: 'sent', seq, sendCallAt, loopMs, clients }
//        sendCallAt: shared clock (performance.timeOrigin + performance.now(), ms) taken just before the send loop
//        loopMs: how long the synchronous loop of ws.send calls took
//   ← { type: 'clock', seq } → { type: 'clock', seq, at }   clock offset calibration (same shared clock)
//   → { type: 'listening', port } once, at start
// It exits when the harness disconnects (the harness exiting for any reason closes the IPC channel).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

const shared = () => performance.timeOrigin + performance.now();

let frame: Buffer = Buffer.alloc(0);
const server = http.createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({
  server,
  path: '/ws',
  perMessageDeflate: false, // as the runtime's server
  handleProtocols: (protocols) => protocols.values().next().value ?? false,
});
wss.on('connection', (socket) => socket.on('error', () => {}));

process.on('message', (message: { type: string; seq?: number; base64?: string }) => {
  switch (message.type) {
    case 'frame':
      frame = Buffer.from(message.base64 ?? '', 'base64');
      return;
    case 'broadcast': {
      const sendCallAt = shared();
      const start = performance.now();
      for (const client of wss.clients) client.send(frame);
      const loopMs = performance.now() - start;
      process.send?.({ type: 'sent', seq: message.seq, sendCallAt, loopMs, clients: wss.clients.size });
      return;
    }
    case 'clock':
      process.send?.({ type: 'clock', seq: message.seq, at: shared() });
      return;
  }
});
process.on('disconnect', () => {
  for (const client of wss.clients) client.terminate();
  server.close();
  process.exit(0);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
