// The one error type of the migrations store. Callers branch on `error.code`, never on message text.
import { SyncError } from '../errors.ts';

export const migrationsErrorCodes = [
  /** A captured DDL row (electric.ddl_commands) whose columns or metadata we cannot understand: a bug or a foreign writer. */
  'ES_MIGRATION_MALFORMED',
  /** `afterVersion` names a migration version that was never captured. Electric answers UNKNOWN_SCHEMA_VSN here. */
  'ES_MIGRATION_UNKNOWN_VERSION',
] as const;

export type MigrationsErrorCode = (typeof migrationsErrorCodes)[number];

/** Never retryable: the same input fails the same way. */
export class MigrationsError extends SyncError<MigrationsErrorCode> {
  override readonly name = 'MigrationsError';
}

export function isMigrationsError(error: unknown, code?: MigrationsErrorCode): error is MigrationsError {
  return error instanceof MigrationsError && (code === undefined || error.code === code);
}
