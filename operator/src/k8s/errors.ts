// Errors from the Kubernetes API, carrying the HTTP status and the Status object's reason, so callers branch on
// codes (404, 409, 410, 422), never on message text.

export interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string | undefined;
  readonly status: StatusBody | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: number, what: string, status: StatusBody | undefined, retryAfterSeconds?: number) {
    super(`${what}: ${code} ${status?.reason ?? ''} ${status?.message ?? ''}`.trim());
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = status?.reason;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409;
}

export function isAlreadyExists(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409 && error.reason === 'AlreadyExists';
}

export function isGone(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 410;
}

/** A short description of any error, for logs, Events and condition messages. */
export function describeError(error: unknown): string {
  if (error instanceof KubeApiError) return error.status?.message ?? error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
