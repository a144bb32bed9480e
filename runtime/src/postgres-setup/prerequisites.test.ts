import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PostgresSetupError } from './errors.ts';
import { findPrerequisiteProblems, type SetupFacts } from './prerequisites.ts';

const ready: SetupFacts = {
  serverVersion: '15.18',
  serverVersionNum: 150018,
  walLevel: 'logical',
  role: 'electric',
  isSuperuser: true,
  hasReplication: false,
  canCreateEventTriggers: true,
};

describe('findPrerequisiteProblems', () => {
  const cases: [string, Partial<SetupFacts>, string[]][] = [
    ['a superuser on PostgreSQL 15 with wal_level = logical', {}, []],
    ['a superuser with REPLICATION on PostgreSQL 14', { serverVersion: '14.0', serverVersionNum: 140000, hasReplication: true }, []],
    ['wal_level = replica', { walLevel: 'replica' }, ['ES_PG_WAL_LEVEL']],
    ['wal_level = minimal', { walLevel: 'minimal' }, ['ES_PG_WAL_LEVEL']],
    ['PostgreSQL 13', { serverVersion: '13.9', serverVersionNum: 130009 }, ['ES_PG_VERSION_UNSUPPORTED']],
    [
      'a plain role',
      { isSuperuser: false, hasReplication: false, canCreateEventTriggers: false },
      ['ES_PG_ROLE_NO_REPLICATION', 'ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS'],
    ],
    ['a REPLICATION role that is not a superuser', { isSuperuser: false, hasReplication: true, canCreateEventTriggers: false }, ['ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS']],
    [
      'everything wrong at once, in the order to fix it',
      { serverVersion: '12.1', serverVersionNum: 120001, walLevel: 'replica', isSuperuser: false, canCreateEventTriggers: false },
      ['ES_PG_VERSION_UNSUPPORTED', 'ES_PG_WAL_LEVEL', 'ES_PG_ROLE_NO_REPLICATION', 'ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS'],
    ],
  ];
  for (const [name, facts, codes] of cases) {
    test(`${codes.length === 0 ? 'accepts' : `reports ${codes.join(', ')} for`} ${name}`, () => {
      assert.deepEqual(findPrerequisiteProblems({ ...ready, ...facts }).map((p) => p.code), codes);
    });
  }

  test('says exactly how to fix wal_level', () => {
    const [problem] = findPrerequisiteProblems({ ...ready, walLevel: 'replica' });
    assert.match(problem?.message ?? '', /wal_level is "replica"/);
    assert.match(problem?.fix ?? '', /set wal_level = logical in postgresql\.conf .* restart PostgreSQL/);
  });

  test('gives the ALTER ROLE statements with the role name quoted', () => {
    const problems = findPrerequisiteProblems({ ...ready, role: 'App "User"', isSuperuser: false, canCreateEventTriggers: false });
    assert.deepEqual(
      problems.map((p) => p.fix),
      [
        'as a superuser, run ALTER ROLE "App ""User""" WITH REPLICATION;',
        'as a superuser, run ALTER ROLE "App ""User""" WITH SUPERUSER; or connect electric-sync as a superuser',
      ],
    );
  });
});

describe('PostgresSetupError.fromProblems', () => {
  test('lists every problem with its fix and takes the first code', () => {
    const problems = findPrerequisiteProblems({ ...ready, walLevel: 'replica', isSuperuser: false, canCreateEventTriggers: false });
    assert.ok(problems[0]);
    const error = PostgresSetupError.fromProblems([problems[0], ...problems.slice(1)]);
    assert.equal(error.code, 'ES_PG_WAL_LEVEL');
    assert.equal(error.retryable, false);
    assert.equal(error.message.split('\n').length, 4);
    assert.match(error.message, /^PostgreSQL is not ready for electric-sync:\n {2}- wal_level is "replica".*To fix: set wal_level = logical/);
  });
});
