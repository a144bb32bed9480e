import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replicationSlotName } from './cleanup.ts';
import { databaseTarget } from './connect.ts';

for (const [database, slot] of [
  ['app', 'electric_replication_out_app'],
  ['My-App.Prod', 'electric_replication_out_my_app_prod'],
  ['ünïcode', 'electric_replication_out__n_code'],
  ['x'.repeat(60), `electric_replication_out_${'x'.repeat(38)}`],
] as const) {
  test(`the runtime's slot for database ${JSON.stringify(database.slice(0, 12))} is ${slot.slice(0, 40)}`, () => {
    assert.equal(replicationSlotName(database), slot);
    assert.ok(replicationSlotName(database).length <= 63);
  });
}

test('reads the database URL with the runtime’s rules and hides the password in messages', () => {
  const parsed = databaseTarget('postgresql://electric:s3cret@db.example:5433/app?sslmode=disable', undefined);
  assert.ok(parsed.ok);
  assert.equal(parsed.target.url.database, 'app');
  assert.equal(parsed.target.ssl, 'disable');
  assert.doesNotMatch(parsed.target.redacted, /s3cret/);
  const required = databaseTarget('postgresql://u@h', true);
  assert.ok(required.ok);
  assert.equal(required.target.ssl, 'require');
  const bad = databaseTarget('mysql://u@h/db', undefined);
  assert.equal(bad.ok, false);
});
