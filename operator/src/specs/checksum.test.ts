import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newTestElectricSync, testBuildInputs as inputs } from '../testing/fixtures.ts';
import { configChecksum } from './checksum.ts';
import { buildDesiredObjects } from './desired.ts';
import { annotationKeys } from './meta.ts';

describe('configuration checksum', () => {
  const checksumOf = (es = newTestElectricSync(), values = inputs.secretValues, password = inputs.publisherPassword) =>
    buildDesiredObjects(es, { ...inputs, secretValues: values, publisherPassword: password }).deployment.spec?.template
      .metadata?.annotations?.[annotationKeys.configChecksum];

  test('is stable for the same inputs', () => {
    assert.equal(checksumOf(), checksumOf());
  });

  for (const [what, change] of [
    ['a spec setting', () => checksumOf(newTestElectricSync({ spec: { logLevel: 'debug' } }))],
    ['the database URL Secret value', () => checksumOf(undefined, { ...inputs.secretValues, DATABASE_URL: 'postgresql://u:q@db/app' })],
    ['the JWT key Secret value', () => checksumOf(undefined, { ...inputs.secretValues, AUTH_JWT_KEY: 'x'.repeat(32) })],
    ['the publisher password', () => checksumOf(undefined, undefined, 'q'.repeat(43))],
  ] as const) {
    test(`changes when ${what} changes`, () => assert.notEqual(change(), checksumOf()));
  }

  test('does not depend on the order settings were built in', () => {
    const env = { plain: { A: '1', B: '2' }, fromSecrets: [] };
    assert.equal(configChecksum(env, {}), configChecksum({ plain: { B: '2', A: '1' }, fromSecrets: [] }, {}));
  });
});
