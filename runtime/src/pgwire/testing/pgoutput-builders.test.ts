// The fixture builders are only useful if they write what Postgres writes. These tests rebuild messages captured from
// a real PostgreSQL 15 server and compare the bytes, so the builders are anchored to the server, not to our parser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedPg15Stream } from './pg15-pgoutput-capture.ts';
import {
  buildBegin,
  buildCommit,
  buildDelete,
  buildInsert,
  buildMessage,
  buildRelation,
  buildTruncate,
  buildType,
  buildUpdate,
  nullColumn,
  text,
} from './pgoutput-builders.ts';

function captured(index: number): string {
  const message = capturedPg15Stream[index];
  if (message === undefined) throw new Error(`no captured message ${index}`);
  return message.hex;
}

const ITEMS_OID = 16_389;
const FULL_ITEMS_OID = 16_396;

describe('pgoutput fixture builders write the bytes PostgreSQL 15 writes', () => {
  test('Begin', () => {
    const built = buildBegin({ finalLsn: 0x15330f0n, commitTime: 0x3042674d3556bn, xid: 730 });
    assert.equal(built.toString('hex'), captured(0));
  });

  test('Type', () => {
    assert.equal(buildType({ typeOid: 16_385, namespace: 'public', name: 'mood' }).toString('hex'), captured(1));
  });

  test('Relation with REPLICA IDENTITY FULL', () => {
    const built = buildRelation({
      relationOid: FULL_ITEMS_OID,
      namespace: 'public',
      name: 'full_items',
      replicaIdentity: 'f',
      columns: [
        { flags: 1, name: 'id', typeOid: 23 },
        { flags: 1, name: 'note', typeOid: 25 },
      ],
    });
    assert.equal(built.toString('hex'), captured(16));
  });

  test('Insert', () => {
    const built = buildInsert({ relationOid: FULL_ITEMS_OID, newTuple: [text('1'), text('a')] });
    assert.equal(built.toString('hex'), captured(17));
  });

  test('Insert with NULLs', () => {
    const built = buildInsert({
      relationOid: ITEMS_OID,
      newTuple: [text('-9223372036854775808'), ...Array.from({ length: 16 }, nullColumn)],
    });
    assert.equal(built.toString('hex'), captured(4));
  });

  test("Update with an 'O' old tuple", () => {
    const built = buildUpdate({
      relationOid: FULL_ITEMS_OID,
      oldTuple: [text('1'), text('a')],
      newTuple: [text('1'), text('b')],
    });
    assert.equal(built.toString('hex'), captured(20));
  });

  test("Delete with a 'K' key tuple", () => {
    const built = buildDelete({
      relationOid: ITEMS_OID,
      keyTuple: [text('2'), ...Array.from({ length: 16 }, nullColumn)],
    });
    assert.equal(built.toString('hex'), captured(13));
  });

  test('Truncate with CASCADE and RESTART IDENTITY', () => {
    const built = buildTruncate({ cascade: true, restartIdentity: true, relationOids: [ITEMS_OID, FULL_ITEMS_OID] });
    assert.equal(built.toString('hex'), captured(29));
  });

  test('Commit', () => {
    const built = buildCommit({ commitLsn: 0x15330f0n, endLsn: 0x1533120n, commitTime: 0x3042674d3556bn });
    assert.equal(built.toString('hex'), captured(5));
  });

  test('Message, transactional and not', () => {
    const transactional = buildMessage({
      transactional: true,
      lsn: 0x1535110n,
      prefix: 'electric.fk_chain_touch',
      content: '{"x":1}',
    });
    assert.equal(transactional.toString('hex'), captured(33));
    const nonTransactional = buildMessage({ transactional: false, lsn: 0x1535150n, prefix: 'nontx', content: 'hi' });
    assert.equal(nonTransactional.toString('hex'), captured(31));
  });
});
