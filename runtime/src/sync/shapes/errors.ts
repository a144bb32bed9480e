// The one error type of shapes/. Callers branch on `error.code`, never on message text.
import { SyncError } from '../../errors.ts';

export const shapeErrorCodes = [
  /**
   * The client's `where` is not a clause we accept: a syntax error, an unknown column, a literal of the wrong type,
   * or anything outside the supported subset. The name is Electric's SatSubsResp shape_request_error code
   * (notes §3.7), so the ws layer can send `code` as it is. `position` is where in the clause the problem is.
   */
  'INVALID_WHERE_CLAUSE',
  /** A row handed to the evaluator has a value that does not fit its column's type: a bug upstream, not the client's. */
  'ES_SHAPE_ROW_VALUE',
] as const;

export type ShapeErrorCode = (typeof shapeErrorCodes)[number];

export class ShapeError extends SyncError<ShapeErrorCode> {
  override readonly name = 'ShapeError';
  /** 0-based offset (UTF-16 code units) into the where clause, for INVALID_WHERE_CLAUSE. */
  readonly position: number | undefined;

  constructor(code: ShapeErrorCode, message: string, options?: { position?: number; cause?: unknown }) {
    super(code, message, options?.cause === undefined ? {} : { cause: options.cause });
    this.position = options?.position;
  }
}

export function isShapeError(error: unknown, code?: ShapeErrorCode): error is ShapeError {
  return error instanceof ShapeError && (code === undefined || error.code === code);
}

/** An INVALID_WHERE_CLAUSE error, worded like Electric's ("At location N: …"). */
export function invalidWhere(position: number, problem: string): ShapeError {
  return new ShapeError('INVALID_WHERE_CLAUSE', `At location ${position}: ${problem}`, { position });
}
