// The informer against a real API server: it lists, follows changes, restarts a silent watch (watchdog), re-lists on
// a timer, and keeps following changes across all of that.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNamespace, eventually, putSecret, startTestCluster, suiteCleanups, testLogger, type TestCluster } from '../testing/cluster.ts';
import { Informer, type Change, type RestartReason } from './informer.ts';
import { objectPath, resourceTypes } from './resources.ts';
import type { Secret } from './types.ts';

let cluster: TestCluster;

describe('Informer', { timeout: 120_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    cluster = await startTestCluster(context);
    await createNamespace(cluster.client, 'inf');
  });

  test('lists, follows changes, and survives its watchdog and re-list timer', async () => {
    await putSecret(cluster.client, 'inf', 'before', { a: '1' });
    const restarts: RestartReason[] = [];
    const changes: string[] = [];
    const informer = new Informer<Secret>({
      client: cluster.client,
      type: resourceTypes.secret,
      namespace: 'inf',
      logger: testLogger(),
      watchdogMs: 1_000,
      relistIntervalMs: 2_500,
      watchTimeoutSeconds: 60,
      onRestart: (reason) => restarts.push(reason),
    });
    informer.onChange((change: Change<Secret>) => changes.push(`${change.type} ${change.object.metadata?.name}`));
    informer.start();
    context.after(() => informer.stop());
    await informer.waitForSync();
    assert.deepEqual(changes, ['add before']);
    assert.ok(informer.get('inf', 'before'));

    await putSecret(cluster.client, 'inf', 'during', { a: '1' });
    await eventually('the add arrives', async () => changes.includes('add during'));
    await eventually('the silent watch is restarted by the watchdog', async () => restarts.includes('watchdog'), { timeoutMs: 5_000 });
    await eventually('the re-list timer fires', async () => restarts.includes('relist-timer'), { timeoutMs: 6_000 });

    await putSecret(cluster.client, 'inf', 'during', { a: '2' });
    await eventually('the update arrives after the restarts', async () => changes.includes('update during'));
    await cluster.client.delete(objectPath(resourceTypes.secret, 'inf', 'before'));
    await eventually('the delete arrives', async () => changes.includes('delete before'));
    assert.equal(informer.get('inf', 'before'), undefined);
    // A re-list with nothing changed produces no events.
    assert.equal(changes.filter((c) => c === 'add before').length, 1);
  });
});
