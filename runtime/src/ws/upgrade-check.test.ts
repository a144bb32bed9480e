import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkUpgrade } from './upgrade-check.ts';

const ready = { ready: true, detail: 'streaming' };
const upgrade = (protocol?: string) => ({
  upgrade: 'websocket',
  connection: 'keep-alive, Upgrade',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  ...(protocol === undefined ? {} : { 'sec-websocket-protocol': protocol }),
});

const cases: Array<[string, Record<string, string>, { ready: boolean; detail: string }, unknown]> = [
  ['accepts electric.0.12 and echoes it', upgrade('electric.0.12'), ready, { ok: true, protocol: 'electric.0.12' }],
  ['accepts electric.0.10', upgrade('electric.0.10'), ready, { ok: true, protocol: 'electric.0.10' }],
  ['picks the electric protocol among several', upgrade('chat, electric.0.11'), ready, { ok: true, protocol: 'electric.0.11' }],
  ['refuses a request that is not an upgrade', { connection: 'close' }, ready, { ok: false, status: 400, message: 'Bad request' }],
  ['refuses a missing sub-protocol', upgrade(), ready, { ok: false, status: 400, message: 'Missing satellite websocket subprotocol' }],
  ['refuses another sub-protocol', upgrade('graphql-ws'), ready, { ok: false, status: 400, message: 'Missing satellite websocket subprotocol' }],
  ['refuses an over-long version', upgrade(`electric.${'1'.repeat(30)}`), ready, { ok: false, status: 400, message: 'Missing satellite websocket subprotocol' }],
];

for (const [name, headers, readiness, expected] of cases) {
  test(name, () => assert.deepEqual(checkUpgrade(headers, readiness), expected));
}

test('refuses client versions outside 0.10 to 0.12 and says which it needs', () => {
  for (const version of ['0.9', '0.13', '1.0', 'x.y']) {
    const decision = checkUpgrade(upgrade(`electric.${version}`), ready);
    assert.equal(decision.ok, false);
    assert.ok(!decision.ok && decision.status === 400);
    assert.match(!decision.ok ? decision.message : '', new RegExp(`^Cannot connect satellite version ${version.replace('.', '\\.')}: this server requires >= 0\\.10\\.0 and <= 0\\.12\\.x`));
  }
});

test('answers 503 while PostgreSQL is not ready, with what it is waiting for', () => {
  assert.deepEqual(checkUpgrade(upgrade('electric.0.12'), { ready: false, detail: 'connecting to PostgreSQL' }), {
    ok: false,
    status: 503,
    message: 'Postgres connection is not ready: connecting to PostgreSQL',
  });
});
