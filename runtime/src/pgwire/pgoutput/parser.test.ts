import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError } from '../errors.ts';
import { Reader } from '../reader.ts';
import { parseReplicationMessage } from '../replication/parser.ts';
import { bytes } from '../testing/byte-builder.ts';
import {
  binary,
  buildBegin,
  buildCommit,
  buildDelete,
  buildInsert,
  buildMessage,
  buildOrigin,
  buildRelation,
  buildTruncate,
  buildType,
  buildUpdate,
  nullColumn,
  text,
  unchangedToastColumn,
} from '../testing/pgoutput-builders.ts';
import { capturedPg15Stream } from '../testing/pg15-pgoutput-capture.ts';
import { buildXLogData } from '../testing/replication-builders.ts';
import { UNCHANGED_TOAST } from './messages.ts';
import type { PgoutputMessage, RelationMessage } from './messages.ts';
import { createPgoutputDecoder } from './parser.ts';
import type { PgoutputDecoder } from './parser.ts';

const ITEMS_OID = 16_384;
const OTHER_OID = 16_390;

const itemsRelationBytes = buildRelation({
  relationOid: ITEMS_OID,
  namespace: 'public',
  name: 'items',
  replicaIdentity: 'd',
  columns: [
    { flags: 1, name: 'id', typeOid: 2950, typeModifier: -1 },
    { name: 'title', typeOid: 1043, typeModifier: 104 },
    { name: 'body', typeOid: 25 },
  ],
});

const expectedItemsRelation: RelationMessage = {
  type: 'Relation',
  relationOid: ITEMS_OID,
  namespace: 'public',
  name: 'items',
  replicaIdentity: 'd',
  columns: [
    { name: 'id', typeOid: 2950, typeModifier: -1, isKey: true, flags: 1 },
    { name: 'title', typeOid: 1043, typeModifier: 104, isKey: false, flags: 0 },
    { name: 'body', typeOid: 25, typeModifier: -1, isKey: false, flags: 0 },
  ],
  columnNames: ['id', 'title', 'body'],
};

const otherRelationBytes = buildRelation({
  relationOid: OTHER_OID,
  namespace: 'app',
  name: 'other',
  replicaIdentity: 'f',
  columns: [{ flags: 1, name: 'k', typeOid: 23 }],
});

/** A decoder that has already seen the Relation messages for `items` and `other`. */
function decoderWithRelations(): PgoutputDecoder {
  const decoder = createPgoutputDecoder();
  decoder.decode(itemsRelationBytes);
  decoder.decode(otherRelationBytes);
  return decoder;
}

const UUID = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';

function isCode(code: Parameters<typeof isPgwireError>[1]) {
  return (error: unknown) => isPgwireError(error, code);
}

describe('createPgoutputDecoder', () => {
  describe('decodes each message type from bytes laid out as in the docs', () => {
    test("Begin 'B'", () => {
      const decoded = createPgoutputDecoder().decode(
        buildBegin({ finalLsn: 0x16_b374_d848n, commitTime: 757_479_845_123_456n, xid: 0xffff_fffe }),
      );
      assert.deepEqual(decoded, {
        type: 'Begin',
        finalLsn: 0x16_b374_d848n,
        commitTime: 757_479_845_123_456n,
        xid: 0xffff_fffe,
      });
    });

    test("Commit 'C'", () => {
      const decoded = createPgoutputDecoder().decode(
        buildCommit({ commitLsn: 2n ** 64n - 2n, endLsn: 2n ** 64n - 1n, commitTime: -5n }),
      );
      assert.deepEqual(decoded, {
        type: 'Commit',
        flags: 0,
        commitLsn: 2n ** 64n - 2n,
        endLsn: 2n ** 64n - 1n,
        commitTime: -5n,
      });
    });

    test("Origin 'O'", () => {
      const decoded = createPgoutputDecoder().decode(buildOrigin({ originLsn: 0x1_0000_0000n, name: 'pg_16385' }));
      assert.deepEqual(decoded, { type: 'Origin', originLsn: 0x1_0000_0000n, name: 'pg_16385' });
    });

    test("Relation 'R' with key flags, type modifiers and every replica identity", () => {
      assert.deepEqual(createPgoutputDecoder().decode(itemsRelationBytes), expectedItemsRelation);
      for (const identity of ['d', 'n', 'f', 'i'] as const) {
        const decoded = createPgoutputDecoder().decode(
          buildRelation({ relationOid: 1, namespace: '', name: 'pg_thing', replicaIdentity: identity, columns: [] }),
        );
        assert.deepEqual(decoded, {
          type: 'Relation',
          relationOid: 1,
          namespace: '',
          name: 'pg_thing',
          replicaIdentity: identity,
          columns: [],
          columnNames: [],
        });
      }
    });

    test("Relation 'R' with an unknown replica identity is malformed", () => {
      const relation = buildRelation({ relationOid: 1, namespace: 'a', name: 'b', replicaIdentity: 'x', columns: [] });
      assert.throws(() => createPgoutputDecoder().decode(relation), isCode('PGWIRE_MALFORMED'));
    });

    test("Type 'Y'", () => {
      const decoder = createPgoutputDecoder();
      const decoded = decoder.decode(buildType({ typeOid: 16_385, namespace: 'public', name: 'mood' }));
      assert.deepEqual(decoded, { type: 'Type', typeOid: 16_385, namespace: 'public', name: 'mood' });
      assert.equal(decoder.getTypeOrNull(16_385), decoded);
      assert.equal(decoder.getTypeOrNull(1), null);
    });

    test("Insert 'I' with text, NULL, unchanged TOAST and binary columns", () => {
      const decoder = decoderWithRelations();
      const decoded = decoder.decode(
        buildInsert({ relationOid: ITEMS_OID, newTuple: [text(UUID), nullColumn(), unchangedToastColumn()] }),
      );
      assert.deepEqual(decoded, {
        type: 'Insert',
        relation: expectedItemsRelation,
        newTuple: [UUID, null, UNCHANGED_TOAST],
      });
      const withBinary = decoder.decode(
        buildInsert({ relationOid: ITEMS_OID, newTuple: [binary(Uint8Array.of(0, 1, 255)), text(''), text('x')] }),
      );
      assert.ok(withBinary.type === 'Insert');
      assert.deepEqual(withBinary.newTuple, [Buffer.from([0, 1, 255]), '', 'x']);
    });

    test("Insert 'I' keeps the empty string and NULL apart, and decodes multi-byte UTF-8", () => {
      const decoded = decoderWithRelations().decode(
        buildInsert({
          relationOid: ITEMS_OID,
          newTuple: [text(''), nullColumn(), text('héllo ☃ 𝄞 漢字 🎉')],
        }),
      );
      assert.ok(decoded.type === 'Insert');
      assert.deepEqual(decoded.newTuple, ['', null, 'héllo ☃ 𝄞 漢字 🎉']);
    });

    test("Update 'U' without an old tuple", () => {
      const decoded = decoderWithRelations().decode(
        buildUpdate({ relationOid: ITEMS_OID, newTuple: [text(UUID), text('t'), unchangedToastColumn()] }),
      );
      assert.deepEqual(decoded, {
        type: 'Update',
        relation: expectedItemsRelation,
        keyTuple: null,
        oldTuple: null,
        newTuple: [UUID, 't', UNCHANGED_TOAST],
      });
    });

    test("Update 'U' with a 'K' key tuple", () => {
      const decoded = decoderWithRelations().decode(
        buildUpdate({
          relationOid: ITEMS_OID,
          keyTuple: [text('old-id'), nullColumn(), nullColumn()],
          newTuple: [text('new-id'), text('t'), text('b')],
        }),
      );
      assert.ok(decoded.type === 'Update');
      assert.deepEqual(decoded.keyTuple, ['old-id', null, null]);
      assert.equal(decoded.oldTuple, null);
      assert.deepEqual(decoded.newTuple, ['new-id', 't', 'b']);
    });

    test("Update 'U' with an 'O' old tuple (REPLICA IDENTITY FULL)", () => {
      const decoded = decoderWithRelations().decode(
        buildUpdate({ relationOid: OTHER_OID, oldTuple: [text('1')], newTuple: [text('2')] }),
      );
      assert.ok(decoded.type === 'Update');
      assert.equal(decoded.keyTuple, null);
      assert.deepEqual(decoded.oldTuple, ['1']);
      assert.deepEqual(decoded.newTuple, ['2']);
      assert.equal(decoded.relation.name, 'other');
    });

    test("Delete 'D' with a 'K' key tuple", () => {
      const decoded = decoderWithRelations().decode(
        buildDelete({ relationOid: ITEMS_OID, keyTuple: [text(UUID), nullColumn(), nullColumn()] }),
      );
      assert.deepEqual(decoded, {
        type: 'Delete',
        relation: expectedItemsRelation,
        keyTuple: [UUID, null, null],
        oldTuple: null,
      });
    });

    test("Delete 'D' with an 'O' old tuple", () => {
      const decoded = decoderWithRelations().decode(buildDelete({ relationOid: OTHER_OID, oldTuple: [text('9')] }));
      assert.ok(decoded.type === 'Delete');
      assert.equal(decoded.keyTuple, null);
      assert.deepEqual(decoded.oldTuple, ['9']);
    });

    const truncateOptions = [
      { cascade: false, restartIdentity: false },
      { cascade: true, restartIdentity: false },
      { cascade: false, restartIdentity: true },
      { cascade: true, restartIdentity: true },
    ];
    for (const options of truncateOptions) {
      const name = `cascade=${options.cascade} restartIdentity=${options.restartIdentity}`;
      test(`Truncate 'T' of several relations with ${name}`, () => {
        const decoder = decoderWithRelations();
        const decoded = decoder.decode(buildTruncate({ ...options, relationOids: [ITEMS_OID, OTHER_OID] }));
        assert.ok(decoded.type === 'Truncate');
        assert.equal(decoded.cascade, options.cascade);
        assert.equal(decoded.restartIdentity, options.restartIdentity);
        assert.deepEqual(
          decoded.relations.map((relation) => relation.name),
          ['items', 'other'],
        );
      });
    }

    test("Truncate 'T' of no relations", () => {
      const decoded = createPgoutputDecoder().decode(buildTruncate({ relationOids: [] }));
      assert.deepEqual(decoded, { type: 'Truncate', cascade: false, restartIdentity: false, relations: [] });
    });

    test("Message 'M', transactional, with the content as a view", () => {
      const data = buildMessage({
        transactional: true,
        lsn: 0x1_5351_10n,
        prefix: 'electric.fk_chain_touch',
        content: '{"x":1}',
      });
      const decoded = createPgoutputDecoder().decode(data);
      assert.deepEqual(decoded, {
        type: 'Message',
        transactional: true,
        lsn: 0x1_5351_10n,
        prefix: 'electric.fk_chain_touch',
        content: Buffer.from('{"x":1}'),
      });
      assert.ok(decoded.type === 'Message');
      assert.equal(decoded.content.buffer, data.buffer, 'content is not copied');
    });

    test("Message 'M', non-transactional, with empty and with binary content", () => {
      const decoder = createPgoutputDecoder();
      const empty = decoder.decode(buildMessage({ transactional: false, lsn: 1n, prefix: '', content: '' }));
      assert.deepEqual(empty, { type: 'Message', transactional: false, lsn: 1n, prefix: '', content: Buffer.alloc(0) });
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const binaryMessage = decoder.decode(buildMessage({ transactional: false, lsn: 2n, prefix: 'p', content: all }));
      assert.ok(binaryMessage.type === 'Message');
      assert.deepEqual([...binaryMessage.content], [...all]);
    });
  });

  describe('relation cache', () => {
    test('attaches the cached Relation object to changes and exposes it by OID', () => {
      const decoder = decoderWithRelations();
      const cached = decoder.getRelationOrNull(ITEMS_OID);
      assert.deepEqual(cached, expectedItemsRelation);
      const insert = decoder.decode(
        buildInsert({ relationOid: ITEMS_OID, newTuple: [text('1'), text('2'), text('3')] }),
      );
      assert.ok(insert.type === 'Insert');
      assert.equal(insert.relation, cached, 'the same object, not a copy');
      assert.deepEqual(insert.relation.columnNames, ['id', 'title', 'body']);
      assert.equal(decoder.getRelationOrNull(1), null);
    });

    test('a later Relation message for the same OID replaces the cached one', () => {
      const decoder = decoderWithRelations();
      decoder.decode(
        buildRelation({
          relationOid: ITEMS_OID,
          namespace: 'public',
          name: 'items',
          columns: [
            { flags: 1, name: 'id', typeOid: 2950 },
            { name: 'added', typeOid: 16 },
          ],
        }),
      );
      const insert = decoder.decode(buildInsert({ relationOid: ITEMS_OID, newTuple: [text('1'), text('t')] }));
      assert.ok(insert.type === 'Insert');
      assert.deepEqual(insert.relation.columnNames, ['id', 'added']);
    });

    test('decoders do not share relations', () => {
      decoderWithRelations();
      assert.equal(createPgoutputDecoder().getRelationOrNull(ITEMS_OID), null);
    });

    const unknownRelationChanges: [string, Buffer][] = [
      ['Insert', buildInsert({ relationOid: 777, newTuple: [] })],
      ['Update', buildUpdate({ relationOid: 777, newTuple: [] })],
      ['Delete', buildDelete({ relationOid: 777, keyTuple: [] })],
      ['Truncate', buildTruncate({ relationOids: [ITEMS_OID, 777] })],
    ];
    for (const [name, data] of unknownRelationChanges) {
      test(`${name} for a relation OID never described throws PGWIRE_UNKNOWN_RELATION naming the OID`, () => {
        assert.throws(
          () => decoderWithRelations().decode(data),
          (error) =>
            isPgwireError(error, 'PGWIRE_UNKNOWN_RELATION') &&
            error.message.includes(name) &&
            error.message.includes('777'),
        );
      });
    }
  });

  describe('rejects what it does not understand', () => {
    test('an unknown message type, naming it', () => {
      assert.throws(
        () => createPgoutputDecoder().decode(Buffer.from('Z')),
        (error) => isPgwireError(error, 'PGWIRE_UNKNOWN_MESSAGE') && error.message.includes("'Z' (0x5a)"),
      );
    });

    for (const [letter, name] of [
      ['S', 'StreamStart'],
      ['c', 'StreamCommit'],
      ['P', 'Prepare'],
    ] as const) {
      test(`the proto_version 2+ message ${name} '${letter}', saying so`, () => {
        assert.throws(
          () => createPgoutputDecoder().decode(bytes().char(letter).int32(1).build()),
          (error) =>
            isPgwireError(error, 'PGWIRE_UNKNOWN_MESSAGE') &&
            error.message.includes(name) &&
            error.message.includes('proto_version'),
        );
      });
    }

    test('an empty message as truncated', () => {
      assert.throws(() => createPgoutputDecoder().decode(Buffer.alloc(0)), isCode('PGWIRE_TRUNCATED'));
    });

    test('trailing bytes after a message', () => {
      const data = Buffer.concat([buildBegin({ finalLsn: 1n, commitTime: 2n, xid: 3 }), Buffer.from([0])]);
      assert.throws(
        () => createPgoutputDecoder().decode(data),
        (error) => isPgwireError(error, 'PGWIRE_MALFORMED') && error.message.includes('Begin'),
      );
    });

    test('a tuple whose column count differs from its Relation message', () => {
      assert.throws(
        () => decoderWithRelations().decode(buildInsert({ relationOid: ITEMS_OID, newTuple: [text('only one')] })),
        (error) => isPgwireError(error, 'PGWIRE_MALFORMED') && error.message.includes('public.items'),
      );
    });

    test('an unknown TupleData column kind', () => {
      const data = bytes().char('I').int32(OTHER_OID).char('N').int16(1).char('x').build();
      assert.throws(() => decoderWithRelations().decode(data), isCode('PGWIRE_MALFORMED'));
    });

    test('a negative TupleData length', () => {
      const data = bytes().char('I').int32(OTHER_OID).char('N').int16(1).char('t').int32(-1).build();
      assert.throws(() => decoderWithRelations().decode(data), isCode('PGWIRE_MALFORMED'));
    });

    test("an Insert without 'N'", () => {
      const data = bytes().char('I').int32(OTHER_OID).char('K').int16(1).char('n').build();
      assert.throws(() => decoderWithRelations().decode(data), isCode('PGWIRE_MALFORMED'));
    });

    test("an Update whose new tuple is not introduced by 'N'", () => {
      const data = bytes().char('U').int32(OTHER_OID).char('K').int16(1).char('n').char('K').int16(1).char('n').build();
      assert.throws(() => decoderWithRelations().decode(data), isCode('PGWIRE_MALFORMED'));
    });

    test("a Delete with 'N' instead of 'K' or 'O'", () => {
      const data = bytes().char('D').int32(OTHER_OID).char('N').int16(1).char('n').build();
      assert.throws(() => decoderWithRelations().decode(data), isCode('PGWIRE_MALFORMED'));
    });
  });

  describe('throws PGWIRE_TRUNCATED when a message is cut at any byte', () => {
    const all256 = Uint8Array.from({ length: 256 }, (_, i) => i);
    const messages: [string, Buffer][] = [
      ['Begin', buildBegin({ finalLsn: 1n, commitTime: 2n, xid: 3 })],
      ['Commit', buildCommit({ commitLsn: 1n, endLsn: 2n, commitTime: 3n })],
      ['Origin', buildOrigin({ originLsn: 1n, name: 'origin' })],
      ['Relation', itemsRelationBytes],
      ['Type', buildType({ typeOid: 1, namespace: 'public', name: 'mood' })],
      ['Insert', buildInsert({ relationOid: ITEMS_OID, newTuple: [text('é'), nullColumn(), binary(all256)] })],
      [
        'Update',
        buildUpdate({
          relationOid: ITEMS_OID,
          keyTuple: [text('k'), nullColumn(), nullColumn()],
          newTuple: [text('a'), unchangedToastColumn(), text('c')],
        }),
      ],
      ['Delete', buildDelete({ relationOid: OTHER_OID, oldTuple: [text('123')] })],
      ['Truncate', buildTruncate({ cascade: true, relationOids: [ITEMS_OID, OTHER_OID] })],
      ['Message', buildMessage({ transactional: true, lsn: 1n, prefix: 'p', content: 'content' })],
    ];
    for (const [name, data] of messages) {
      test(`${name} (${data.length} bytes)`, () => {
        const decoder = decoderWithRelations();
        assert.equal(decoder.decode(data).type, name, 'the whole message decodes');
        for (let cut = 0; cut < data.length; cut++) {
          assert.throws(
            () => decoder.decode(data.subarray(0, cut)),
            isCode('PGWIRE_TRUNCATED'),
            `${name} cut after ${cut} bytes`,
          );
        }
      });
    }
  });

  describe('streams', () => {
    const transaction = [
      itemsRelationBytes,
      buildBegin({ finalLsn: 0x100n, commitTime: 1n, xid: 10 }),
      buildInsert({ relationOid: ITEMS_OID, newTuple: [text('1'), text('first'), nullColumn()] }),
      buildUpdate({ relationOid: ITEMS_OID, newTuple: [text('1'), text('second'), unchangedToastColumn()] }),
      buildMessage({ transactional: true, lsn: 0xf0n, prefix: 'electric.fk_chain_touch', content: '{}' }),
      buildDelete({ relationOid: ITEMS_OID, keyTuple: [text('1'), nullColumn(), nullColumn()] }),
      buildTruncate({ relationOids: [ITEMS_OID] }),
      buildCommit({ commitLsn: 0x100n, endLsn: 0x130n, commitTime: 1n }),
    ];
    const expectedTypes = ['Relation', 'Begin', 'Insert', 'Update', 'Message', 'Delete', 'Truncate', 'Commit'];

    test('decodeNext walks several messages concatenated in one buffer', () => {
      const decoder = createPgoutputDecoder();
      const reader = new Reader(Buffer.concat(transaction));
      const decoded: PgoutputMessage[] = [];
      while (reader.remaining > 0) decoded.push(decoder.decodeNext(reader));
      assert.deepEqual(
        decoded.map((message) => message.type),
        expectedTypes,
      );
      const update = decoded[3];
      assert.ok(update?.type === 'Update');
      assert.deepEqual(update.newTuple, ['1', 'second', UNCHANGED_TOAST]);
    });

    test('decodeNext stops at the reader end even when the buffer goes on', () => {
      const decoder = decoderWithRelations();
      const begin = buildBegin({ finalLsn: 1n, commitTime: 2n, xid: 3 });
      const reader = new Reader(Buffer.concat([begin, begin]), 0, begin.length - 1);
      assert.throws(() => decoder.decodeNext(reader), isCode('PGWIRE_TRUNCATED'));
    });

    test('decodes a transaction arriving as a sequence of XLogData payloads', () => {
      const decoder = createPgoutputDecoder();
      const decoded = transaction.map((data, i) => {
        const message = parseReplicationMessage(
          buildXLogData({ walStart: BigInt(i), walEnd: BigInt(i), serverTime: 0n, data }),
        );
        assert.ok(message.type === 'XLogData');
        return decoder.decode(message.data);
      });
      assert.deepEqual(
        decoded.map((message) => message.type),
        expectedTypes,
      );
    });

    test('a failed message leaves the decoder usable for the next one', () => {
      const decoder = decoderWithRelations();
      assert.throws(() => decoder.decode(Buffer.from('Z')), isCode('PGWIRE_UNKNOWN_MESSAGE'));
      assert.equal(decoder.decode(buildBegin({ finalLsn: 1n, commitTime: 2n, xid: 3 })).type, 'Begin');
    });
  });

  describe('real output of PostgreSQL 15 (testing/pg15-pgoutput-capture.ts)', () => {
    function decodeCapture(): PgoutputMessage[] {
      const decoder = createPgoutputDecoder();
      return capturedPg15Stream.map(({ hex }) => decoder.decode(Buffer.from(hex, 'hex')));
    }

    test('decodes every captured message, in order', () => {
      assert.deepEqual(
        decodeCapture().map((message) => message.type),
        [
          ...['Begin', 'Type', 'Relation', 'Insert', 'Insert', 'Commit'],
          ...['Begin', 'Update', 'Commit'],
          ...['Begin', 'Update', 'Commit'],
          ...['Begin', 'Delete', 'Commit'],
          ...['Begin', 'Relation', 'Insert', 'Commit'],
          ...['Begin', 'Update', 'Commit'],
          ...['Begin', 'Delete', 'Commit'],
          ...['Begin', 'Type', 'Relation', 'Relation', 'Truncate', 'Commit'],
          ...['Message', 'Begin', 'Message', 'Commit'],
        ],
      );
    });

    test('reads transaction boundaries, relations and types as Postgres wrote them', () => {
      const [begin, type, relation, , , commit] = decodeCapture();
      assert.deepEqual(begin, { type: 'Begin', finalLsn: 0x15330f0n, commitTime: 0x3042674d3556bn, xid: 730 });
      assert.deepEqual(type, { type: 'Type', typeOid: 16_385, namespace: 'public', name: 'mood' });
      assert.ok(relation?.type === 'Relation');
      assert.equal(relation.relationOid, 16_389);
      assert.equal(relation.replicaIdentity, 'd');
      assert.deepEqual(relation.columnNames, [
        ...['id', 'flag', 'b', 'd', 'f4', 'f8', 'i2', 'i4', 'j', 't', 'tm', 'ts', 'tstz', 'u', 'v', 'm', 'big'],
      ]);
      assert.deepEqual(
        relation.columns.filter((column) => column.isKey).map((column) => column.name),
        ['id'],
      );
      assert.equal(relation.columns[15]?.typeOid, 16_385, 'the enum column points at the Type message');
      assert.deepEqual(commit, {
        type: 'Commit',
        flags: 0,
        commitLsn: 0x15330f0n,
        endLsn: 0x1533120n,
        commitTime: 0x3042674d3556bn,
      });
    });

    test('reads tuples: text values, NULLs, unchanged TOAST, key and old tuples', () => {
      const messages = decodeCapture();
      const first = messages[3];
      assert.ok(first?.type === 'Insert');
      assert.deepEqual(first.newTuple.slice(0, 16), [
        ...['1', 't', '\\x00ff', '2024-02-29', 'NaN', '-Infinity', '-32768', '2147483647', '{"a": [1, 2]}'],
        ...['héllo ☃', '23:59:59.999999', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5+00'],
        ...['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '', 'sad'],
      ]);
      assert.equal(first.newTuple[16], 'x'.repeat(3000), 'an inserted TOASTed value is sent in full');
      const second = messages[4];
      assert.ok(second?.type === 'Insert');
      assert.deepEqual(second.newTuple, ['-9223372036854775808', ...Array<null>(16).fill(null)]);

      const toastUpdate = messages[7];
      assert.ok(toastUpdate?.type === 'Update');
      assert.equal(toastUpdate.keyTuple, null);
      assert.equal(toastUpdate.newTuple[9], 'changed');
      assert.equal(toastUpdate.newTuple[16], UNCHANGED_TOAST);

      const keyUpdate = messages[10];
      assert.ok(keyUpdate?.type === 'Update');
      assert.deepEqual(keyUpdate.keyTuple, ['1', ...Array<null>(16).fill(null)]);
      assert.equal(keyUpdate.newTuple[0], '2');

      const keyDelete = messages[13];
      assert.ok(keyDelete?.type === 'Delete');
      assert.deepEqual(keyDelete.keyTuple, ['2', ...Array<null>(16).fill(null)]);

      const fullUpdate = messages[20];
      assert.ok(fullUpdate?.type === 'Update');
      assert.equal(fullUpdate.relation.replicaIdentity, 'f');
      assert.deepEqual(fullUpdate.oldTuple, ['1', 'a']);
      assert.deepEqual(fullUpdate.newTuple, ['1', 'b']);

      const fullDelete = messages[23];
      assert.ok(fullDelete?.type === 'Delete');
      assert.deepEqual(fullDelete.oldTuple, ['1', 'b']);
    });

    test('reads TRUNCATE options and logical decoding messages', () => {
      const messages = decodeCapture();
      const truncate = messages[29];
      assert.ok(truncate?.type === 'Truncate');
      assert.equal(truncate.cascade, true);
      assert.equal(truncate.restartIdentity, true);
      assert.deepEqual(
        truncate.relations.map((relation) => relation.name),
        ['items', 'full_items'],
      );

      const [nonTransactional, , transactional] = messages.slice(31);
      assert.ok(nonTransactional?.type === 'Message' && transactional?.type === 'Message');
      assert.equal(nonTransactional.transactional, false);
      assert.equal(nonTransactional.prefix, 'nontx');
      assert.equal(nonTransactional.content.toString(), 'hi');
      assert.equal(transactional.transactional, true);
      assert.equal(transactional.prefix, 'electric.fk_chain_touch');
      assert.equal(transactional.content.toString(), '{"x":1}');
      assert.equal(transactional.lsn, 0x1535110n);
    });
  });
});
