import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSecretData as decode, newTestElectricSync, testBuildInputs as inputs } from '../testing/fixtures.ts';
import { buildDesiredObjects } from './desired.ts';
import { generatePassword, storedDatabaseUrl, storedPublisherPassword } from './secrets.ts';

describe('publisher password', () => {
  test('is generated once and reused from the stored Secret', () => {
    const password = generatePassword();
    assert.match(password, /^[A-Za-z0-9_-]{43}$/);
    const es = newTestElectricSync();
    const stored = buildDesiredObjects(es, { ...inputs, publisherPassword: password }).publisherAuthSecret;
    assert.equal(storedPublisherPassword(stored), password);
    assert.equal(storedPublisherPassword(undefined), undefined);
    assert.equal(storedPublisherPassword({ data: { password: Buffer.from('short').toString('base64') } }), undefined);
  });
});

describe('database URL copy', () => {
  test('is kept in the operator’s Secret for the finalizer, and only when known', () => {
    const es = newTestElectricSync();
    const withUrl = buildDesiredObjects(es, { ...inputs, databaseUrl: 'postgresql://u:p@db/app' }).publisherAuthSecret;
    assert.equal(storedDatabaseUrl(withUrl), 'postgresql://u:p@db/app');
    assert.equal(storedDatabaseUrl(buildDesiredObjects(es, inputs).publisherAuthSecret), undefined);
    assert.deepEqual(Object.keys(decode(withUrl.data)).sort(), ['cleanup-database-url', 'password']);
  });
});
