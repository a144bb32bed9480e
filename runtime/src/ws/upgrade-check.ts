// Decides whether a WebSocket upgrade request on /ws may become a Satellite connection, with Electric's answers
// (plug/satellite_websocket_plug.ex): 400 for a bad upgrade, a missing sub-protocol or an unsupported client version,
// 503 while the service cannot serve (PostgreSQL not ready). Pure, so every case is tested without sockets.
import type { IncomingHttpHeaders } from 'node:http';

/** Client protocol versions this server speaks: electric.0.10 up to electric.0.12. */
export const minimumClientVersion = [0, 10] as const;
export const maximumClientVersion = [0, 12] as const;

const subprotocolPrefix = 'electric.';

export type UpgradeDecision =
  | { readonly ok: true; readonly protocol: string }
  | { readonly ok: false; readonly status: 400 | 503; readonly message: string };

export function checkUpgrade(headers: IncomingHttpHeaders, readiness: { ready: boolean; detail: string }): UpgradeDecision {
  const upgrade = headers.upgrade?.toLowerCase();
  const connection = headers.connection?.toLowerCase() ?? '';
  if (upgrade !== 'websocket' || !connection.split(',').some((token) => token.trim() === 'upgrade') || !headers['sec-websocket-key']) {
    return { ok: false, status: 400, message: 'Bad request' };
  }

  const offered = (headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((value) => value.trim())
    .find((value) => value.startsWith(subprotocolPrefix) && value.length - subprotocolPrefix.length < 20);
  if (!offered) return { ok: false, status: 400, message: 'Missing satellite websocket subprotocol' };

  const match = /^(\d+)\.(\d+)$/.exec(offered.slice(subprotocolPrefix.length));
  const version = match ? ([Number(match[1]), Number(match[2])] as const) : undefined;
  if (!version || compare(version, minimumClientVersion) < 0 || compare(version, maximumClientVersion) > 0) {
    return {
      ok: false,
      status: 400,
      message:
        `Cannot connect satellite version ${offered.slice(subprotocolPrefix.length)}: this server requires ` +
        `>= ${minimumClientVersion.join('.')}.0 and <= ${maximumClientVersion.join('.')}.x (use an electric-sql client from 0.10 to 0.12)`,
    };
  }

  if (!readiness.ready) return { ok: false, status: 503, message: `Postgres connection is not ready: ${readiness.detail}` };
  return { ok: true, protocol: offered };
}

function compare(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
