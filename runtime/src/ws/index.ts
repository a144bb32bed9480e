// ws: the Satellite WebSocket on /ws — the upgrade check (Electric's 400/503 answers, the sub-protocol echo),
// keepalive pings, and one session per connection that authenticates, streams the transaction log through the
// client's shapes within a window of unacknowledged transactions, and serves subscriptions. One client's failure never
// touches another.
export { attachWebSocketServer, pingIntervalMs, maxClientFrameBytes, type SatelliteConnection } from './websocket-server.ts';
export { checkUpgrade } from './upgrade-check.ts';
export { startSatelliteSession, type SyncContext, type SyncTransaction } from './satellite-session.ts';
export { createClientRegistry, type ClientRegistry, type ClientState } from './client-registry.ts';
