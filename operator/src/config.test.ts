import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration, parseOperatorConfig, usage } from './config.ts';

test('defaults: all namespaces, leader election on, cluster.local, :8080', () => {
  const parsed = parseOperatorConfig({ POD_NAME: 'op-0', POD_NAMESPACE: 'electric-system' }, []);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.config.scope, { kind: 'all' });
  assert.equal(parsed.config.leaderElection.enabled, true);
  assert.equal(parsed.config.leaderElection.identity, 'op-0');
  assert.equal(parsed.config.leaderElection.namespace, 'electric-system');
  assert.equal(parsed.config.leaderElection.leaseDurationMs, 15_000);
  assert.equal(parsed.config.clusterDomain, 'cluster.local');
  assert.deepEqual(parsed.config.http, { host: '0.0.0.0', port: 8080 });
});

test('flags win over environment variables; a namespace list watches those namespaces', () => {
  const parsed = parseOperatorConfig({ ELECTRIC_SYNC_NAMESPACES: 'a' }, ['--namespaces', 'b, c', '--cluster-domain', 'corp.local.']);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.config.scope, { kind: 'namespaces', namespaces: ['b', 'c'] });
  assert.equal(parsed.config.clusterDomain, 'corp.local');
});

test('reports every bad setting at once', () => {
  const parsed = parseOperatorConfig({ ELECTRIC_SYNC_WORKERS: '0' }, ['--lease-duration', 'soon', '--namespaces', 'Bad_NS', '--log-level', 'loud']);
  assert.equal(parsed.ok, false);
  assert.equal(parsed.ok ? 0 : parsed.problems.length, 4);
});

test('refuses unknown flags', () => {
  assert.equal(parseOperatorConfig({}, ['--nope', 'x']).ok, false);
});

test('parses durations', () => {
  assert.equal(parseDuration('15s'), 15_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1.5s'), 1_500);
  assert.equal(parseDuration('2'), 2);
  assert.equal(parseDuration('x'), undefined);
  assert.match(usage(), /--namespaces/);
});
