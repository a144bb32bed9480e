import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError } from '../errors.ts';
import { buildBegin } from '../testing/pgoutput-builders.ts';
import { buildPrimaryKeepaliveMessage, buildXLogData } from '../testing/replication-builders.ts';
import { parseReplicationMessage } from './parser.ts';

describe('parseReplicationMessage', () => {
  test('parses XLogData and hands out its data as a view of the payload', () => {
    const data = buildBegin({ finalLsn: 0x16_b374_d848n, commitTime: 1n, xid: 7 });
    const payload = buildXLogData({
      walStart: 0x16_b374_d000n,
      walEnd: 0x16_b374_e000n,
      serverTime: 757_479_845_123_456n,
      data,
    });
    const message = parseReplicationMessage(payload);
    assert.deepEqual(message, {
      type: 'XLogData',
      walStart: 0x16_b374_d000n,
      walEnd: 0x16_b374_e000n,
      serverTime: 757_479_845_123_456n,
      data,
    });
    assert.equal(message.type === 'XLogData' && message.data.buffer, payload.buffer, 'no copy of the WAL data');
  });

  test('parses XLogData with empty data and LSNs above 2^63', () => {
    const payload = buildXLogData({
      walStart: 2n ** 64n - 1n,
      walEnd: 2n ** 63n,
      serverTime: -1n,
      data: new Uint8Array(),
    });
    assert.deepEqual(parseReplicationMessage(payload), {
      type: 'XLogData',
      walStart: 2n ** 64n - 1n,
      walEnd: 2n ** 63n,
      serverTime: -1n,
      data: Buffer.alloc(0),
    });
  });

  for (const replyRequested of [false, true]) {
    test(`parses a PrimaryKeepaliveMessage with replyRequested=${replyRequested}`, () => {
      const payload = buildPrimaryKeepaliveMessage({ walEnd: 0x1_0000_0001n, serverTime: 42n, replyRequested });
      assert.deepEqual(parseReplicationMessage(payload), {
        type: 'PrimaryKeepaliveMessage',
        walEnd: 0x1_0000_0001n,
        serverTime: 42n,
        replyRequested,
      });
    });
  }

  test('parses a sequence of payloads one by one, as a stream delivers them', () => {
    const payloads = [
      buildPrimaryKeepaliveMessage({ walEnd: 10n, serverTime: 1n, replyRequested: false }),
      buildXLogData({ walStart: 10n, walEnd: 20n, serverTime: 2n, data: Buffer.from('a') }),
      buildXLogData({ walStart: 20n, walEnd: 30n, serverTime: 3n, data: Buffer.from('bc') }),
      buildPrimaryKeepaliveMessage({ walEnd: 30n, serverTime: 4n, replyRequested: true }),
    ];
    const types = payloads.map((payload) => parseReplicationMessage(payload).type);
    assert.deepEqual(types, ['PrimaryKeepaliveMessage', 'XLogData', 'XLogData', 'PrimaryKeepaliveMessage']);
  });

  test('throws PGWIRE_TRUNCATED for every cut of a keepalive and of an XLogData header', () => {
    const keepalive = buildPrimaryKeepaliveMessage({ walEnd: 1n, serverTime: 2n, replyRequested: true });
    for (let cut = 0; cut < keepalive.length; cut++) {
      assert.throws(
        () => parseReplicationMessage(keepalive.subarray(0, cut)),
        (error) => isPgwireError(error, 'PGWIRE_TRUNCATED'),
        `keepalive cut at ${cut}`,
      );
    }
    const xlog = buildXLogData({ walStart: 1n, walEnd: 2n, serverTime: 3n, data: new Uint8Array() });
    for (let cut = 0; cut < xlog.length; cut++) {
      assert.throws(
        () => parseReplicationMessage(xlog.subarray(0, cut)),
        (error) => isPgwireError(error, 'PGWIRE_TRUNCATED'),
        `XLogData cut at ${cut}`,
      );
    }
  });

  test('rejects trailing bytes after a keepalive', () => {
    const payload = Buffer.concat([
      buildPrimaryKeepaliveMessage({ walEnd: 1n, serverTime: 2n, replyRequested: false }),
      Buffer.from([0]),
    ]);
    assert.throws(() => parseReplicationMessage(payload), (error) => isPgwireError(error, 'PGWIRE_MALFORMED'));
  });

  test('names an unknown message type in the error', () => {
    assert.throws(
      () => parseReplicationMessage(Buffer.from('x')),
      (error) => isPgwireError(error, 'PGWIRE_UNKNOWN_MESSAGE') && error.message.includes("'x' (0x78)"),
    );
  });
});
