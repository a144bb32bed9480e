// What the database server and our role must offer before we touch anything: a recent enough PostgreSQL,
// wal_level = logical, and a role that may replicate and create event triggers. Read once (readSetupFacts), judged by
// a pure function (findPrerequisiteProblems) so every combination is tested without a server.

import type pg from 'pg';
import type { SetupProblem } from './errors.ts';

/** Electric 0.x supports PostgreSQL 14 and newer; our SQL needs 13+ (xid8, pg_current_xact_id). */
export const minimumServerVersionNum = 140000;

export interface SetupFacts {
  readonly serverVersion: string;
  /** server_version_num, e.g. 150018. */
  readonly serverVersionNum: number;
  readonly walLevel: string;
  readonly role: string;
  readonly isSuperuser: boolean;
  readonly hasReplication: boolean;
  /** CREATE EVENT TRIGGER needs a superuser in every PostgreSQL up to at least 17. */
  readonly canCreateEventTriggers: boolean;
}

export async function readSetupFacts(client: pg.Client): Promise<SetupFacts> {
  const { rows } = await client.query<{
    server_version: string;
    server_version_num: string;
    wal_level: string;
    role: string;
    rolsuper: boolean;
    rolreplication: boolean;
  }>(
    `SELECT current_setting('server_version') AS server_version,
            current_setting('server_version_num') AS server_version_num,
            current_setting('wal_level') AS wal_level,
            r.rolname AS role, r.rolsuper, r.rolreplication
       FROM pg_catalog.pg_roles r
      WHERE r.rolname = current_user`,
  );
  const row = rows[0];
  if (!row) throw new Error('cannot read our own role from pg_roles');
  return {
    serverVersion: row.server_version,
    serverVersionNum: Number(row.server_version_num),
    walLevel: row.wal_level,
    role: row.role,
    isSuperuser: row.rolsuper,
    hasReplication: row.rolreplication,
    canCreateEventTriggers: row.rolsuper,
  };
}

/** Every problem, in the order an operator should fix them. Empty when the server and role are fine. */
export function findPrerequisiteProblems(facts: SetupFacts): SetupProblem[] {
  const problems: SetupProblem[] = [];
  const role = quoteIdentifier(facts.role);
  if (facts.serverVersionNum < minimumServerVersionNum) {
    problems.push({
      code: 'ES_PG_VERSION_UNSUPPORTED',
      message: `PostgreSQL ${facts.serverVersion} is too old: electric-sync needs PostgreSQL 14 or newer`,
      fix: 'upgrade the database server to PostgreSQL 14 or newer',
    });
  }
  if (facts.walLevel !== 'logical') {
    problems.push({
      code: 'ES_PG_WAL_LEVEL',
      message: `wal_level is "${facts.walLevel}", but logical replication needs wal_level = logical`,
      fix: 'set wal_level = logical in postgresql.conf (or run ALTER SYSTEM SET wal_level = logical;) and restart PostgreSQL',
    });
  }
  if (!facts.isSuperuser && !facts.hasReplication) {
    problems.push({
      code: 'ES_PG_ROLE_NO_REPLICATION',
      message: `role ${role} may not start logical replication: it is neither a superuser nor has the REPLICATION attribute`,
      fix: `as a superuser, run ALTER ROLE ${role} WITH REPLICATION;`,
    });
  }
  if (!facts.canCreateEventTriggers) {
    problems.push({
      code: 'ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS',
      message:
        `role ${role} is not a superuser, and PostgreSQL ${facts.serverVersion} allows only superusers to create ` +
        'the event triggers that capture migrations of electrified tables',
      fix: `as a superuser, run ALTER ROLE ${role} WITH SUPERUSER; or connect electric-sync as a superuser`,
    });
  }
  return problems;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
