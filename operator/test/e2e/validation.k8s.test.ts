// Invalid ElectricSync specs are refused by the API server itself (OpenAPI schema and CEL rules in the CRD), with
// messages that say what to change. No operator runs here: this is the CRD alone.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HttpMethod } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { KubeApiError } from '../../src/k8s/errors.ts';
import type { KubeObject } from '../../src/k8s/types.ts';
import { collectionPath, objectPath, resourceTypes } from '../../src/k8s/resources.ts';
import { createNamespace, startTestCluster, suiteCleanups, type TestCluster } from '../../src/testing/cluster.ts';
import { electricSyncManifest } from '../../src/testing/fixtures.ts';

const ns = 'validation';
const examplesDir = join(import.meta.dirname, '../../../examples');
let cluster: TestCluster;

/** Creates with strict field validation (as kubectl does); returns the API server's message, or undefined if accepted. */
async function refusal(name: string, spec: object, raw = false): Promise<string | undefined> {
  const body = raw
    ? { apiVersion: 'electric-sync.dev/v1alpha1', kind: 'ElectricSync', metadata: { name, namespace: ns }, spec }
    : electricSyncManifest(name, ns, spec as never);
  try {
    await cluster.client.request(HttpMethod.POST, collectionPath(resourceTypes.electricSync, ns), { body, query: { fieldValidation: 'Strict' } });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof KubeApiError, String(error));
    assert.ok([400, 422].includes(error.code), `HTTP ${error.code}`);
    return error.status?.message ?? '';
  }
}

describe('the API server refuses invalid ElectricSync specs', { timeout: 180_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    cluster = await startTestCluster(context);
    await createNamespace(cluster.client, ns);
  });

  test('a valid spec is accepted, with defaults filled in', async () => {
    assert.equal(await refusal('valid', {}), undefined);
    const es = await cluster.client.get<KubeObject & { spec: Record<string, unknown> }>(objectPath(resourceTypes.electricSync, ns, 'valid'));
    assert.equal(es.spec.httpPort, 5133);
    assert.equal(es.spec.logicalPublisherPort, 5433);
    assert.equal(es.spec.deletionPolicy, 'Delete');
  });

  for (const [name, spec, raw, expected] of [
    ['no-auth', { database: { urlSecretRef: { name: 'db' } } }, true, /spec\.auth is required: secure mode \(the default\) needs spec\.auth\.jwtAlgorithm and spec\.auth\.jwtKeySecretRef/],
    ['no-key', { auth: { mode: 'secure', jwtAlgorithm: 'HS256', jwtKeySecretRef: undefined } }, false, /spec\.auth\.mode is secure, which needs spec\.auth\.jwtKeySecretRef/],
    ['no-alg', { auth: { mode: 'secure', jwtAlgorithm: undefined, jwtKeySecretRef: { name: 'jwt' } } }, false, /spec\.auth\.mode is secure, which needs spec\.auth\.jwtAlgorithm/],
    ['insecure-key', { auth: { mode: 'insecure', jwtAlgorithm: undefined, jwtKeySecretRef: { name: 'jwt' } } }, false, /spec\.auth\.mode is insecure, so these must not be set/],
    ['inline-url', { database: { url: 'postgresql://u:p@db/app', urlSecretRef: { name: 'db' } } }, false, /unknown field "spec\.database\.url"/],
    ['no-db', { auth: { mode: 'insecure' } }, true, /spec\.database: Required value/],
    ['bad-alg', { auth: { mode: 'secure', jwtAlgorithm: 'none', jwtKeySecretRef: { name: 'jwt' } } }, false, /spec\.auth\.jwtAlgorithm: Unsupported value: "none": supported values: "HS256"/],
    ['bad-port', { httpPort: 70000 }, false, /spec\.httpPort: Invalid value: 70000: spec\.httpPort in body should be less than or equal to 65535/],
    ['same-ports', { httpPort: 5433 }, false, /spec\.httpPort and spec\.logicalPublisherPort must differ/],
    ['bad-size', { txnCacheSize: '1 TB' }, false, /spec\.txnCacheSize: Invalid value: "1 TB": use a size such as 256M, 1G or 100000000/],
    ['env-clash', { extraEnv: [{ name: 'DATABASE_URL', value: 'postgresql://x' }] }, false, /spec\.extraEnv must not set a variable the operator manages/],
    ['Bad_Name', {}, false, /metadata\.name/],
  ] as const) {
    test(`${name}: ${expected.source.slice(0, 60)}`, async () => {
      const message = await refusal(name, spec, raw);
      assert.ok(message !== undefined, 'accepted');
      assert.match(message, expected);
    });
  }

  test('a name too long for the Services derived from it is refused', async () => {
    assert.match((await refusal(`a${'b'.repeat(60)}`, {})) ?? '', /metadata\.name: Too long/);
  });

  test('the database Secret reference cannot change once set', async () => {
    const path = objectPath(resourceTypes.electricSync, ns, 'valid');
    await assert.rejects(
      cluster.client.mergePatch(path, { spec: { database: { urlSecretRef: { name: 'other-db' } } } }, 'tests'),
      (error: unknown) => error instanceof KubeApiError && /spec\.database\.urlSecretRef is immutable once set/.test(error.status?.message ?? ''),
    );
    // Other settings may change.
    await cluster.client.mergePatch(path, { spec: { logLevel: 'debug' } }, 'tests');
  });
});

describe('the examples', { timeout: 120_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    cluster = await startTestCluster(context);
  });

  for (const file of readdirSync(examplesDir).filter((name) => name.endsWith('.yaml'))) {
    test(`${file} is accepted by the API server`, async () => {
      const documents = parseAllDocuments(readFileSync(join(examplesDir, file), 'utf8')).map((d) => d.toJSON() as KubeObject & { metadata: { name: string } });
      const resources = documents.filter((d) => d.kind === 'ElectricSync');
      assert.ok(resources.length > 0);
      for (const resource of resources) {
        await cluster.client.request(HttpMethod.POST, collectionPath(resourceTypes.electricSync, 'default'), {
          body: resource,
          query: { fieldValidation: 'Strict', dryRun: 'All' },
        });
      }
    });
  }
});
