import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newTestElectricSync } from '../testing/fixtures.ts';
import type { Deployment } from '../k8s/types.ts';
import { computeStatus, deletingStatus, rolloutOf, statusChanged, type StatusInputs } from './electric-sync-status.ts';

const deployment = (status: NonNullable<Deployment['status']>, generation = 2): Deployment => ({
  metadata: { name: 'sync', generation },
  spec: { replicas: 1, selector: { matchLabels: {} }, template: { spec: { containers: [] } } },
  status,
});
const available = deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 });

function inputs(overrides: Partial<StatusInputs> = {}): StatusInputs {
  return {
    es: newTestElectricSync({ generation: 3 }),
    now: '2026-01-01T00:00:00Z',
    publisherHost: 'sync-publisher.default.svc.cluster.local',
    clientUrl: 'http://sync.default.svc.cluster.local:5133',
    checksum: 'abc',
    deployment: available,
    ...overrides,
  };
}

const summary = (status: ReturnType<typeof computeStatus>) => [
  status.phase,
  ...(status.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`),
];

describe('rollout of the runtime Deployment', () => {
  for (const [name, given, expected] of [
    ['absent', undefined, 'missing'],
    ['generation not yet observed', deployment({ observedGeneration: 1 }), 'rolling'],
    ['new pod not yet created', deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 0 }), 'rolling'],
    ['old pod still terminating', deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 1 }), 'rolling'],
    ['pod not ready', deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0 }), 'rolling'],
    ['available', available, 'available'],
    [
      'stuck',
      deployment({ observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      'failed',
    ],
  ] as const) {
    test(`${name}: ${expected}`, () => assert.equal(rolloutOf(given).state, expected));
  }
});

describe('status', () => {
  test('available: Ready, rollout complete, not degraded, with the generation it was computed for', () => {
    const status = computeStatus(inputs());
    assert.deepEqual(summary(status), ['Ready', 'Ready=True/Available', 'Progressing=False/RolloutComplete', 'Degraded=False/AsExpected']);
    assert.equal(status.observedGeneration, 3);
    assert.ok(status.conditions?.every((c) => c.observedGeneration === 3));
    assert.equal(status.publisherHost, 'sync-publisher.default.svc.cluster.local');
    assert.equal(status.clientUrl, 'http://sync.default.svc.cluster.local:5133');
  });

  test('a missing Secret: Degraded with reason SecretNotFound, rollout blocked', () => {
    const status = computeStatus(inputs({ deployment: undefined, prerequisite: { reason: 'SecretNotFound', message: 'Secret "db" not found' } }));
    assert.deepEqual(summary(status), ['Degraded', 'Ready=False/SecretNotFound', 'Progressing=False/SecretNotFound', 'Degraded=True/SecretNotFound']);
    assert.match(status.conditions?.[2]?.message ?? '', /Secret "db" not found/);
  });

  test('an unreachable database: Degraded with reason DatabaseUnreachable', () => {
    const status = computeStatus(inputs({ database: { ok: false, message: 'cannot reach postgresql://u:*****@db/app: ECONNREFUSED' } }));
    assert.equal(status.phase, 'Degraded');
    assert.equal(status.conditions?.[2]?.reason, 'DatabaseUnreachable');
  });

  test('rolling out: Progressing', () => {
    const status = computeStatus(inputs({ deployment: deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }) }));
    assert.deepEqual(summary(status), ['Progressing', 'Ready=False/DeploymentUnavailable', 'Progressing=True/RollingOut', 'Degraded=False/AsExpected']);
  });

  test('a reconcile failure is reported as Degraded with its reason', () => {
    const status = computeStatus(inputs({ failure: { reason: 'OwnershipConflict', message: 'Service sync is owned by someone else' } }));
    assert.equal(status.conditions?.[2]?.reason, 'OwnershipConflict');
    assert.equal(status.phase, 'Degraded');
  });

  test('keeps lastTransitionTime while a condition’s status does not change', () => {
    const first = computeStatus(inputs({ now: '2026-01-01T00:00:00Z' }));
    const es = { ...newTestElectricSync({ generation: 3 }), status: first };
    const second = computeStatus(inputs({ es, now: '2026-01-01T01:00:00Z' }));
    assert.equal(second.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(statusChanged(first, second), false);
    const third = computeStatus(inputs({ es, now: '2026-01-01T02:00:00Z', deployment: undefined }));
    assert.equal(third.conditions?.[0]?.lastTransitionTime, '2026-01-01T02:00:00Z');
    assert.equal(statusChanged(first, third), true);
  });

  test('deleting: phase Deleting; a failed cleanup is Degraded with reason CleanupFailed', () => {
    const es = newTestElectricSync();
    const waiting = deletingStatus(es, '2026-01-01T00:00:00Z', { reason: 'Deleting', message: 'waiting for the runtime pod to stop' });
    assert.equal(waiting.phase, 'Deleting');
    assert.equal(waiting.conditions?.[2]?.status, 'False');
    const failed = deletingStatus(es, '2026-01-01T00:00:00Z', { reason: 'CleanupFailed', message: 'database unreachable' });
    assert.equal(failed.conditions?.[2]?.reason, 'CleanupFailed');
  });
});
