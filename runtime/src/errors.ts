// The base of the runtime's errors. Each module keeps its own closed list of codes and a subclass named after it
// (PgwireError, ClientProtocolError, …), so callers branch on `error.code`, never on message text, and the runner
// decides on `retryable` whether trying again can help.

export class SyncError<Code extends string = string> extends Error {
  readonly code: Code;
  /** True when the same operation may succeed later (a connection dropped); false for bad input or a bug. */
  readonly retryable: boolean;

  constructor(code: Code, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
