import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newTestElectricSync } from '../testing/fixtures.ts';
import { buildNetworkPolicy } from './network-policy.ts';

describe('NetworkPolicy', () => {
  test('the NetworkPolicy opens the publisher port to the database peers only, and to nobody when none are listed', () => {
    const none = buildNetworkPolicy(newTestElectricSync({ spec: { networkPolicy: { enabled: true } } }));
    assert.deepEqual(none.spec?.ingress, [{ ports: [{ port: 5133, protocol: 'TCP' }] }]);
    const peers = [{ ipBlock: { cidr: '10.0.0.5/32' } }];
    const some = buildNetworkPolicy(newTestElectricSync({ spec: { networkPolicy: { enabled: true, databasePeers: peers } } }));
    assert.deepEqual(some.spec?.ingress?.[1], { from: peers, ports: [{ port: 5433, protocol: 'TCP' }] });
  });
});
