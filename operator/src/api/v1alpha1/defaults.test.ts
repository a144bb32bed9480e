import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDefaults } from './defaults.ts';
import { formatSize } from './size.ts';
import { parseSize } from '../../../../runtime/src/config/env-values.ts';

test('fills every default of the CRD into a minimal spec', () => {
  assert.deepEqual(withDefaults({ database: { urlSecretRef: { name: 'db' } } } as never), {
    database: { urlSecretRef: { name: 'db', key: 'url' }, useIpv6: false },
    writeToPgMode: 'logical_replication',
    httpPort: 5133,
    logicalPublisherPort: 5433,
    listenOnIpv6: true,
    logLevel: 'info',
    telemetry: true,
    resumableWalWindow: '2G',
    txnCacheSize: '256M',
    service: { type: 'ClusterIP' },
    networkPolicy: { enabled: false },
    deletionPolicy: 'Delete',
  });
});

test('keeps values that are set and defaults inside objects that are present', () => {
  const spec = withDefaults({
    database: { urlSecretRef: { name: 'db', key: 'dsn' }, useIpv6: true },
    auth: { mode: 'secure', jwtKeySecretRef: { name: 'jwt' } } as never,
    pgProxy: {},
    httpPort: 8080,
  } as never);
  assert.equal(spec.httpPort, 8080);
  assert.deepEqual(spec.database, { urlSecretRef: { name: 'db', key: 'dsn' }, useIpv6: true });
  assert.deepEqual(spec.auth.jwtKeySecretRef, { name: 'jwt', key: 'key' });
  assert.deepEqual(spec.pgProxy, { port: '65432' });
});

test('formats default sizes in a form the runtime parses back to the same bytes', () => {
  for (const bytes of [2 * 1024 ** 3, 256 * 1024 ** 2, 4096, 1000, 1]) {
    const parsed = parseSize(formatSize(bytes));
    assert.deepEqual(parsed, { ok: true, value: bytes }, formatSize(bytes));
  }
  assert.equal(formatSize(2 * 1024 ** 3), '2G');
  assert.equal(formatSize(1536), '1536');
});
