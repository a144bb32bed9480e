import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newTestElectricSync, testBuildInputs as inputs } from '../testing/fixtures.ts';
import { buildDesiredObjects } from './desired.ts';

describe('Deployment', () => {
  const deployment = buildDesiredObjects(newTestElectricSync(), inputs).deployment;
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];

  test('runs one pod and replaces it (Recreate): two runtimes would fight over the replication slot', () => {
    assert.equal(deployment.spec?.replicas, 1);
    assert.deepEqual(deployment.spec?.strategy, { type: 'Recreate' });
  });

  test('probes readiness on /api/status and liveness on the HTTP port', () => {
    assert.deepEqual(container?.readinessProbe?.httpGet, { path: '/api/status', port: 'http' });
    assert.deepEqual(container?.livenessProbe?.tcpSocket, { port: 'http' });
    assert.deepEqual(container?.ports?.map((p) => [p.name, p.containerPort]), [['http', 5133], ['publisher', 5433]]);
  });

  test('runs non-root with a read-only root filesystem, no capabilities and the RuntimeDefault seccomp profile', () => {
    assert.equal(pod?.securityContext?.runAsNonRoot, true);
    assert.deepEqual(pod?.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
    assert.equal(container?.securityContext?.readOnlyRootFilesystem, true);
    assert.equal(container?.securityContext?.allowPrivilegeEscalation, false);
    assert.deepEqual(container?.securityContext?.capabilities, { drop: ['ALL'] });
    assert.equal(pod?.automountServiceAccountToken, false);
  });

  test('uses the operator’s default image unless the spec names one', () => {
    assert.equal(container?.image, 'electric-sync:test');
    const pinned = buildDesiredObjects(newTestElectricSync({ spec: { image: 'registry/es:1.2.3' } }), inputs);
    assert.equal(pinned.deployment.spec?.template.spec.containers[0]?.image, 'registry/es:1.2.3');
  });

  test('carries scheduling, pod labels and annotations from the spec', () => {
    const es = newTestElectricSync({
      spec: {
        nodeSelector: { pool: 'sync' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'sync', effect: 'NoSchedule' }],
        podLabels: { team: 'data' },
        podAnnotations: { 'prometheus.io/scrape': 'true' },
        resources: { requests: { cpu: '100m', memory: '256Mi' } },
      },
    });
    const template = buildDesiredObjects(es, inputs).deployment.spec?.template;
    assert.deepEqual(template?.spec.nodeSelector, { pool: 'sync' });
    assert.equal(template?.spec.tolerations?.length, 1);
    assert.equal(template?.metadata?.labels?.team, 'data');
    assert.equal(template?.metadata?.labels?.['app.kubernetes.io/instance'], 'sync');
    assert.equal(template?.metadata?.annotations?.['prometheus.io/scrape'], 'true');
    assert.deepEqual(template?.spec.containers[0]?.resources, { requests: { cpu: '100m', memory: '256Mi' } });
  });
});
