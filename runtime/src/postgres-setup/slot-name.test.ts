import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { replicationSlotName } from './slot-name.ts';

describe('replicationSlotName', () => {
  const cases: [string, string][] = [
    ['electric', 'electric_replication_out_electric'],
    ['test_db_name', 'electric_replication_out_test_db_name'],
    // The two exotic names from Electric's own tests of the rule.
    ['x-y-z', 'electric_replication_out_x_y_z'],
    ['My "Super%%Duper||Weird" Database', 'electric_replication_out_my__super__duper__weird__database'],
    ['UPPER', 'electric_replication_out_upper'],
    ['db.1 2', 'electric_replication_out_db_1_2'],
    ['', 'electric_replication_out_'],
    // One `_` per character, also for characters outside ASCII.
    ['café', 'electric_replication_out_caf_'],
    ['d😀b', 'electric_replication_out_d_b'],
    // 25 characters of prefix + 38 of name = 63; anything longer is cut.
    ['a'.repeat(38), `electric_replication_out_${'a'.repeat(38)}`],
    ['a'.repeat(39), `electric_replication_out_${'a'.repeat(38)}`],
    ['B'.repeat(100), `electric_replication_out_${'b'.repeat(38)}`],
  ];
  for (const [database, slot] of cases) {
    test(`names the slot for ${JSON.stringify(database)} ${slot}`, () => {
      const name = replicationSlotName(database);
      assert.equal(name, slot);
      assert.ok(name.length <= 63);
      assert.match(name, /^[a-z0-9_]+$/);
    });
  }
});
