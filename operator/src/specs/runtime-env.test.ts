import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSecretData as decode, newTestElectricSync, testBuildInputs as inputs } from '../testing/fixtures.ts';
import { buildDesiredObjects } from './desired.ts';
import { buildRuntimeEnv } from './runtime-env.ts';

describe('runtime environment', () => {
  test('sets LOGICAL_PUBLISHER_HOST to the publisher Service’s DNS name', () => {
    const es = newTestElectricSync({ name: 'orders', namespace: 'shop' });
    const desired = buildDesiredObjects(es, inputs);
    assert.equal(desired.publisherHost, 'orders-publisher.shop.svc.cluster.local');
    assert.equal(desired.publisherService.metadata?.name, 'orders-publisher');
    assert.equal(desired.env.plain.LOGICAL_PUBLISHER_HOST, desired.publisherHost);
    assert.equal(desired.clientUrl, 'http://orders.shop.svc.cluster.local:5133');
  });

  test('uses the configured cluster domain', () => {
    const desired = buildDesiredObjects(newTestElectricSync(), { ...inputs, clusterDomain: 'corp.example' });
    assert.equal(desired.publisherHost, 'sync-publisher.default.svc.corp.example');
  });

  test('writes every plain setting into the env Secret, formatted as the runtime parses it', () => {
    const es = newTestElectricSync({ spec: { logLevel: 'debug', telemetry: false, auth: { jwtIssuer: 'me' } } });
    const env = decode(buildDesiredObjects(es, inputs).envSecret.data);
    assert.deepEqual(env, {
      DATABASE_USE_IPV6: 'false',
      ELECTRIC_USE_IPV6: 'true',
      HTTP_PORT: '5133',
      LOGICAL_PUBLISHER_HOST: 'sync-publisher.default.svc.cluster.local',
      LOGICAL_PUBLISHER_PORT: '5433',
      ELECTRIC_WRITE_TO_PG_MODE: 'logical_replication',
      AUTH_MODE: 'secure',
      AUTH_JWT_ALG: 'HS256',
      AUTH_JWT_ISS: 'me',
      LOG_LEVEL: 'debug',
      ELECTRIC_TELEMETRY: 'false',
      ELECTRIC_RESUMABLE_WAL_WINDOW: '2G',
      ELECTRIC_TXN_CACHE_SIZE: '256M',
    });
  });

  test('never puts a Secret value in the env Secret: DATABASE_URL and AUTH_JWT_KEY are secretKeyRefs', () => {
    const desired = buildDesiredObjects(newTestElectricSync(), inputs);
    const env = decode(desired.envSecret.data);
    assert.equal(env.DATABASE_URL, undefined);
    assert.equal(env.AUTH_JWT_KEY, undefined);
    const container = desired.deployment.spec?.template.spec.containers[0];
    assert.deepEqual(
      container?.env?.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key]),
      [
        ['DATABASE_URL', 'db', 'url'],
        ['AUTH_JWT_KEY', 'jwt', 'key'],
        ['LOGICAL_PUBLISHER_PASSWORD', 'sync-publisher-auth', 'password'],
      ],
    );
    assert.deepEqual(container?.envFrom, [{ secretRef: { name: 'sync-env' } }]);
  });

  test('in insecure mode sets no secure-only variable', () => {
    const es = newTestElectricSync({ spec: { auth: { mode: 'insecure', jwtAlgorithm: undefined, jwtKeySecretRef: undefined } } });
    const env = buildRuntimeEnv(es, { host: 'h', passwordSecretName: 's' });
    assert.equal(env.plain.AUTH_MODE, 'insecure');
    assert.equal(env.plain.AUTH_JWT_ALG, undefined);
    assert.deepEqual(env.fromSecrets.map((s) => s.variable), ['DATABASE_URL', 'LOGICAL_PUBLISHER_PASSWORD']);
  });

  test('appends extraEnv after the managed variables', () => {
    const es = newTestElectricSync({ spec: { extraEnv: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=512' }] } });
    const container = buildDesiredObjects(es, inputs).deployment.spec?.template.spec.containers[0];
    assert.deepEqual(container?.env?.at(-1), { name: 'NODE_OPTIONS', value: '--max-old-space-size=512' });
  });
});
