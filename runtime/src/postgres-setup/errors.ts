// The one error type of postgres-setup. Callers branch on `error.code`, never on message text.
//
// Prerequisite failures (wal_level, role privileges, server version) carry every problem found, each with the exact
// fix, so an operator fixes them all in one round. None of them is retryable: they need a person.
import { SyncError } from '../errors.ts';

export const postgresSetupErrorCodes = [
  /** The server is older than the oldest PostgreSQL we support. */
  'ES_PG_VERSION_UNSUPPORTED',
  /** wal_level is not `logical`: logical replication (and so sync) cannot work. */
  'ES_PG_WAL_LEVEL',
  /** The role may not start replication: it is neither a superuser nor has REPLICATION. */
  'ES_PG_ROLE_NO_REPLICATION',
  /** The role may not create the event triggers that capture migrations (PostgreSQL requires a superuser). */
  'ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS',
  /** Installing or upgrading the electric schema failed; `cause` holds the Postgres error. */
  'ES_PG_SETUP_FAILED',
] as const;

export type PostgresSetupErrorCode = (typeof postgresSetupErrorCodes)[number];

/** One thing wrong with the database server or role, and how to fix it. */
export interface SetupProblem {
  readonly code: PostgresSetupErrorCode;
  readonly message: string;
  /** What to run or change, e.g. `ALTER ROLE "app" WITH REPLICATION;`. */
  readonly fix: string;
}

/** `code` is the first problem's code when there are several. */
export class PostgresSetupError extends SyncError<PostgresSetupErrorCode> {
  override readonly name = 'PostgresSetupError';
  readonly problems: readonly SetupProblem[];

  constructor(code: PostgresSetupErrorCode, message: string, options: { problems?: readonly SetupProblem[]; cause?: unknown } = {}) {
    // A failed install may be a lost connection or a lock conflict; prerequisites need a person.
    super(code, message, { cause: options.cause, retryable: code === 'ES_PG_SETUP_FAILED' });
    this.problems = options.problems ?? [];
  }

  /** One error for all problems found: "PostgreSQL is not ready for electric-sync: …" with one line per problem. */
  static fromProblems(problems: readonly [SetupProblem, ...SetupProblem[]]): PostgresSetupError {
    const lines = problems.map((p) => `\n  - ${p.message}. To fix: ${p.fix}`).join('');
    return new PostgresSetupError(problems[0].code, `PostgreSQL is not ready for electric-sync:${lines}`, { problems });
  }
}

export function isPostgresSetupError(error: unknown, code?: PostgresSetupErrorCode): error is PostgresSetupError {
  return error instanceof PostgresSetupError && (code === undefined || error.code === code || error.problems.some((p) => p.code === code));
}
