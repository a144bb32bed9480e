// The one error type of the migrations store. Callers branch on `error.code`, never on message text.

export const migrationsErrorCodes = [
  /** A captured DDL row (electric.ddl_commands) whose columns or metadata we cannot understand: a bug or a foreign writer. */
  'ES_MIGRATION_MALFORMED',
  /** `afterVersion` names a migration version that was never captured. Electric answers UNKNOWN_SCHEMA_VSN here. */
  'ES_MIGRATION_UNKNOWN_VERSION',
] as const;

export type MigrationsErrorCode = (typeof migrationsErrorCodes)[number];

export class MigrationsError extends Error {
  override readonly name = 'MigrationsError';
  readonly code: MigrationsErrorCode;
  /** Neither failure goes away by retrying the same read. */
  readonly retryable = false;

  constructor(code: MigrationsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isMigrationsError(error: unknown, code?: MigrationsErrorCode): error is MigrationsError {
  return error instanceof MigrationsError && (code === undefined || error.code === code);
}
