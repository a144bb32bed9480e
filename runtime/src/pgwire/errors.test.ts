import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMessageCode, isPgwireError, PgwireError, pgwireErrorCodes } from './errors.ts';

describe('PgwireError', () => {
  test('carries a code from the closed list, is not retryable, and keeps its cause', () => {
    const cause = new Error('inner');
    const error = new PgwireError('PGWIRE_MALFORMED', 'bad bytes', { cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'PgwireError');
    assert.equal(error.code, 'PGWIRE_MALFORMED');
    assert.equal(error.retryable, false);
    assert.equal(error.cause, cause);
    assert.ok(pgwireErrorCodes.includes(error.code));
  });

  test('isPgwireError matches by class and, when given, by code', () => {
    const error = new PgwireError('PGWIRE_TRUNCATED', 'short');
    assert.equal(isPgwireError(error), true);
    assert.equal(isPgwireError(error, 'PGWIRE_TRUNCATED'), true);
    assert.equal(isPgwireError(error, 'PGWIRE_MALFORMED'), false);
    assert.equal(isPgwireError(new Error('short')), false);
  });

  test('describeMessageCode shows the letter when printable and always the hex', () => {
    assert.equal(describeMessageCode(0x77), "'w' (0x77)");
    assert.equal(describeMessageCode(0x00), '(0x00)');
    assert.equal(describeMessageCode(0xff), '(0xff)');
  });
});
