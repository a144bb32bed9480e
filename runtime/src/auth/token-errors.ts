// Why a token was refused, as a closed list of codes, and which Satellite error a refusal becomes on the wire.
// Callers branch on `code`, never on message text. Messages are for the client's developer: they name the problem and
// the fix, and never contain the token or any other client-supplied text.

export const tokenErrorCodes = [
  /** Not a JWT in compact form: empty, too long, not base64url JSON, payload not an object. */
  'INVALID_TOKEN',
  /** Secure mode: the header `alg` is not AUTH_JWT_ALG (this includes `alg: none`). Electric: "Signing algorithm mismatch". */
  'SIGNING_ALGORITHM_MISMATCH',
  /** Secure mode: the signature does not verify with AUTH_JWT_KEY. Electric: "Invalid token signature". */
  'INVALID_SIGNATURE',
  /** A claim the mode requires is absent: iat, exp (secure), iss/aud when configured. Electric: "Missing required … claim". */
  'MISSING_CLAIM',
  /** `exp` is more than the allowed clock drift in the past. Electric: "Expired token". */
  'EXPIRED',
  /** `nbf` is more than the allowed clock drift in the future. Electric: "Token is not yet valid". */
  'NOT_YET_VALID',
  /** A claim with a wrong value: iat in the future, a time that is not a number, iss/aud not the configured one. */
  'INVALID_CLAIM',
  /** No non-empty string `sub` or `user_id` (under AUTH_JWT_NAMESPACE when set). Electric: "Missing or invalid 'user_id'". */
  'INVALID_USER_ID',
] as const;

export type TokenErrorCode = (typeof tokenErrorCodes)[number];

/**
 * The SatErrorResp.error_type a refused token becomes (notes §3.5; Electric 0.12.1 protocol.ex
 * `handle_rpc_request(%SatAuthReq{})`): the first `authenticate` answers AUTH_REQUIRED whatever the reason (the
 * client treats AUTH_REQUIRED as fatal and stops retrying; AUTH_FAILED would make it retry with the same token), and
 * a renewal on an authenticated connection answers INVALID_REQUEST, as does a renewal that changes the user id.
 */
export const authErrorTypes = {
  authenticate: 'AUTH_REQUIRED',
  renew: 'INVALID_REQUEST',
} as const;

export type AuthErrorType = (typeof authErrorTypes)[keyof typeof authErrorTypes];
