import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as pgwire from './index.ts';

describe('pgwire public surface', () => {
  test('exports exactly the documented runtime names', () => {
    assert.deepEqual(Object.keys(pgwire).sort(), [
      'INVALID_LSN',
      'MAX_LSN',
      'PG_EPOCH_UNIX_MILLIS',
      'PgTypeOid',
      'PgoutputMessageCode',
      'PgwireError',
      'Reader',
      'ReplicationMessageCode',
      'UNCHANGED_TOAST',
      'buildRow',
      'createPgoutputDecoder',
      'dateToPgMicros',
      'formatLsn',
      'isPgwireError',
      'millisToPgMicros',
      'parseJsonb',
      'parseLsn',
      'parseReplicationMessage',
      'parseTextValue',
      'parseTimestamptz',
      'pgMicrosToDate',
      'pgMicrosToMillis',
      'pgwireErrorCodes',
      'serializeStandbyStatusUpdate',
    ]);
  });

  test('the header example works end to end: XLogData payload in, typed row out', () => {
    const decoder = pgwire.createPgoutputDecoder();
    // Relation 'R' OID 16384 public.i, replica identity 'd', 1 column: key, "id", int8, typmod -1.
    const relation = Buffer.from(
      '52' + '00004000' + '7075626c696300' + '6900' + '64' + '0001' + '01' + '696400' + '00000014' + 'ffffffff',
      'hex',
    );
    // Insert 'I' OID 16384, 'N', 1 column: 't' length 2 "42".
    const insert = Buffer.from('49' + '00004000' + '4e' + '0001' + '74' + '00000002' + '3432', 'hex');
    const frame = (data: Buffer) => Buffer.concat([Buffer.from('77' + '00'.repeat(24), 'hex'), data]);
    for (const payload of [frame(relation), frame(insert)]) {
      const message = pgwire.parseReplicationMessage(payload);
      assert.ok(message.type === 'XLogData');
      const change = decoder.decode(message.data);
      if (change.type === 'Insert') {
        assert.deepEqual({ ...pgwire.buildRow(change.relation, change.newTuple) }, { id: 42n });
      }
    }
  });
});
