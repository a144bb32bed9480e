// Validates the JWT a Satellite client sends in SatAuthReq, the way Electric 0.12.1 does (notes §1.3; Electric's
// lib/electric/satellite/auth/secure.ex, insecure.ex and jwt_util.ex):
//
// secure   1. the header `alg` must equal AUTH_JWT_ALG exactly ("Signing algorithm mismatch"; so `alg: none` is refused)
//          2. the signature must verify with AUTH_JWT_KEY (jose)
//          3. claims present are checked in Joken's order (aud, exp, iat, iss, nbf), then the required ones must be
//             present: iat and exp, plus iss / aud when AUTH_JWT_ISS / AUTH_JWT_AUD are set
// insecure no signature check: unsigned tokens (`alg: none`, with or without the trailing dot) and signed ones are
//          read as they are; iat / nbf / exp are checked only when present
// both     the user id is `sub`, else `user_id` (inside the AUTH_JWT_NAMESPACE claim object when that is set; the
//          standard claims are always top-level) and must be a string that is not blank.
//
// Times are whole seconds (Joken.current_time/0 floors) with 2 s of allowed clock drift: iat - 2 <= now,
// nbf - 2 <= now, exp + 2 >= now.
import { compactVerify, decodeJwt, decodeProtectedHeader, errors as joseErrors } from 'jose';
import type { AuthConfig } from '../config/index.ts';
import type { TokenErrorCode } from './token-errors.ts';

/** Electric's hard-coded `max_clock_drift_seconds`, applied to iat, nbf and exp. */
export const maxClockDriftSeconds = 2;

/** Longer tokens are refused before any decoding (Electric has no such limit; its frames are bounded instead). */
export const maxTokenLength = 64 * 1024;

export type TokenValidation = TokenAccepted | TokenRejected;

export interface TokenAccepted {
  readonly ok: true;
  readonly userId: string;
  /** The `exp` claim (seconds since the epoch), when the token has one. Always present in secure mode. */
  readonly expiresAt?: number;
}

export interface TokenRejected {
  readonly ok: false;
  readonly code: TokenErrorCode;
  /** Names the problem and the fix; never contains the token or text taken from it. */
  readonly message: string;
}

export interface TokenValidator {
  /** Never throws and never rejects: every problem with the token is a TokenRejected. */
  validate(token: string): Promise<TokenValidation>;
}

export interface TokenValidatorOptions {
  /** The current time in milliseconds since the epoch, like Date.now (the default). */
  readonly now?: () => number;
}

type SecureAuth = Extract<AuthConfig, { mode: 'secure' }>;
type Claims = Readonly<Record<string, unknown>>;

interface ClaimRules {
  /** Claims that must be present, checked after the present ones (Joken's RequiredClaims is an after_validate hook). */
  readonly required: readonly string[];
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
}

const knownAlgorithms = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512',
  'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519', 'none']);

export function createTokenValidator(auth: AuthConfig, options: TokenValidatorOptions = {}): TokenValidator {
  const now = options.now ?? Date.now;
  const nowSeconds = (): number => Math.floor(now() / 1000);
  if (auth.mode === 'secure') {
    const rules: ClaimRules = {
      required: ['iat', 'exp', ...(auth.issuer !== undefined ? ['iss'] : []), ...(auth.audience !== undefined ? ['aud'] : [])],
      issuer: auth.issuer,
      audience: auth.audience,
    };
    return { validate: (token) => validateSecure(token, auth, rules, nowSeconds) };
  }
  const rules: ClaimRules = { required: [], issuer: undefined, audience: undefined };
  return { validate: (token) => Promise.resolve(validateInsecure(token, auth.namespace, rules, nowSeconds)) };
}

async function validateSecure(
  token: string,
  auth: SecureAuth,
  rules: ClaimRules,
  nowSeconds: () => number,
): Promise<TokenValidation> {
  const shapeProblem = checkTokenShape(token);
  if (shapeProblem) return shapeProblem;

  // Two parts (an unsigned token without its trailing dot) still get the helpful algorithm message below.
  const parts = token.split('.');
  if (parts.length !== 2 && parts.length !== 3) {
    return reject('INVALID_TOKEN', 'Invalid token: not a JWT in compact form (header.payload.signature)');
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader({ protected: parts[0] }) as Record<string, unknown>;
  } catch {
    return reject('INVALID_TOKEN', 'Invalid token: its header is not base64url-encoded JSON; send a JWT in compact form (header.payload.signature)');
  }
  const alg = Object.hasOwn(header, 'alg') ? header.alg : undefined;
  if (alg !== auth.algorithm) return reject('SIGNING_ALGORITHM_MISMATCH', algorithmMismatchMessage(alg, auth.algorithm));

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, auth.key, { algorithms: [auth.algorithm] }));
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return reject(
        'INVALID_SIGNATURE',
        'Invalid token signature: the token was not signed with the key in AUTH_JWT_KEY; sign tokens with that key ' +
          `(${auth.algorithm.startsWith('HS') ? 'the same secret; check AUTH_JWT_KEY_IS_BASE64_ENCODED' : 'the private key of that public key'})`,
      );
    }
    return reject('INVALID_TOKEN', `Invalid token: not a ${auth.algorithm}-signed JWT in compact form (header.payload.signature)`);
  }

  const claims = parseClaims(payload);
  if (!claims) return reject('INVALID_TOKEN', invalidPayloadMessage);
  return checkClaims(claims, rules, nowSeconds()) ?? acceptUser(claims, auth.namespace);
}

function validateInsecure(token: string, namespace: string | undefined, rules: ClaimRules, nowSeconds: () => number): TokenValidation {
  const shapeProblem = checkTokenShape(token);
  if (shapeProblem) return shapeProblem;

  // Electric's peek_claims: two parts get the missing trailing dot, three are read as they are, anything else is
  // malformed. The header and any signature are not looked at.
  const parts = token.split('.').length;
  if (parts !== 2 && parts !== 3) {
    return reject('INVALID_TOKEN', 'Invalid token: not a JWT in compact form (header.payload, header.payload. or header.payload.signature)');
  }
  let claims: Claims;
  try {
    claims = decodeJwt(parts === 2 ? `${token}.` : token);
  } catch {
    return reject('INVALID_TOKEN', invalidPayloadMessage);
  }
  return checkClaims(claims, rules, nowSeconds()) ?? acceptUser(claims, namespace);
}

const invalidPayloadMessage = 'Invalid token: its payload is not a base64url-encoded JSON object of claims; issue tokens with a JWT library';

function checkTokenShape(token: string): TokenRejected | null {
  if (typeof token !== 'string' || token.length === 0) {
    return reject('INVALID_TOKEN', 'Invalid token: the token is empty; connect with the JWT your auth service issued');
  }
  if (token.length > maxTokenLength) {
    return reject('INVALID_TOKEN', `Invalid token: it is longer than ${maxTokenLength} characters; keep custom claims small`);
  }
  return null;
}

/** Checks the claims present in Joken's order, then the required ones; null when all pass. */
function checkClaims(claims: Claims, rules: ClaimRules, now: number): TokenRejected | null {
  const drift = maxClockDriftSeconds;
  for (const name of ['aud', 'exp', 'iat', 'iss', 'nbf'] as const) {
    if (!Object.hasOwn(claims, name)) continue;
    const value = claims[name];
    switch (name) {
      case 'aud':
        if (rules.audience !== undefined && value !== rules.audience) {
          return reject(
            'INVALID_CLAIM',
            'Invalid "aud" claim value: it must be the single string configured in AUTH_JWT_AUD (an array is not accepted); issue tokens for that audience',
          );
        }
        break;
      case 'iss':
        if (rules.issuer !== undefined && value !== rules.issuer) {
          return reject('INVALID_CLAIM', 'Invalid "iss" claim value: it must be the issuer configured in AUTH_JWT_ISS; issue tokens with that "iss"');
        }
        break;
      case 'exp':
      case 'iat':
      case 'nbf': {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          return reject('INVALID_CLAIM', `Invalid "${name}" claim value: it must be a NumericDate, a JSON number of seconds since 1970-01-01 UTC`);
        }
        if (name === 'exp' && value + drift < now) {
          return reject(
            'EXPIRED',
            `Expired token: "exp" is ${seconds(now - value)} in the past (${drift} s of clock drift allowed); get a fresh token and reconnect`,
          );
        }
        if (name === 'nbf' && value - drift > now) {
          return reject(
            'NOT_YET_VALID',
            `Token is not yet valid: "nbf" is ${seconds(value - now)} in the future (${drift} s of clock drift allowed); check the clock of the token issuer`,
          );
        }
        if (name === 'iat' && value - drift > now) {
          return reject(
            'INVALID_CLAIM',
            `Invalid "iat" claim value: the token says it was issued ${seconds(value - now)} in the future (${drift} s of clock drift allowed); check the clock of the token issuer`,
          );
        }
        break;
      }
    }
  }
  // Joken reports the first missing claim of a sorted set.
  const missing = rules.required.filter((name) => !Object.hasOwn(claims, name)).sort()[0];
  if (missing !== undefined) return reject('MISSING_CLAIM', missingClaimMessage(missing));
  return null;
}

function missingClaimMessage(name: string): string {
  switch (name) {
    case 'iss':
      return 'Missing required "iss" claim: AUTH_JWT_ISS is set, so tokens must carry the issuer configured there';
    case 'aud':
      return 'Missing required "aud" claim: AUTH_JWT_AUD is set, so tokens must carry the audience configured there';
    default:
      return `Missing required "${name}" claim: secure mode needs "iat" and "exp" (NumericDate seconds); add it when issuing tokens`;
  }
}

function acceptUser(claims: Claims, namespace: string | undefined): TokenValidation {
  const scope = namespace !== undefined && namespace !== '' ? ownValue(claims, namespace) : claims;
  const holder = isPlainObject(scope) ? scope : {};
  // Elixir's `claims["sub"] || claims["user_id"]`: only nil and false fall through to user_id.
  const sub = ownValue(holder, 'sub');
  const userId = sub === undefined || sub === null || sub === false ? ownValue(holder, 'user_id') : sub;
  if (typeof userId !== 'string' || userId.trim() === '') {
    const where = namespace !== undefined && namespace !== '' ? ` inside the "${namespace}" claim object (AUTH_JWT_NAMESPACE)` : '';
    return reject('INVALID_USER_ID', `Missing or invalid 'user_id': the token needs a non-empty string "sub" (or "user_id") claim${where}`);
  }
  const exp = ownValue(claims, 'exp');
  return typeof exp === 'number' ? { ok: true, userId, expiresAt: exp } : { ok: true, userId };
}

function algorithmMismatchMessage(alg: unknown, configured: string): string {
  const fix = `sign tokens with ${configured} (AUTH_JWT_ALG)`;
  if (alg === 'none') {
    return `Signing algorithm mismatch: the token is unsigned (alg "none"), which secure mode refuses; ${fix}, or use AUTH_MODE=insecure for local development only`;
  }
  if (typeof alg !== 'string') return `Signing algorithm mismatch: the token header has no "alg"; ${fix}`;
  // The header is client text: name the algorithm only when it is one we know.
  const named = knownAlgorithms.has(alg) ? alg : 'an unknown algorithm';
  return `Signing algorithm mismatch: the token is signed with ${named} but AUTH_JWT_ALG is ${configured}; ${fix}`;
}

function parseClaims(payload: Uint8Array): Claims | null {
  try {
    const claims: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    return isPlainObject(claims) ? claims : null;
  } catch {
    return null;
  }
}

function isPlainObject(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(object: unknown, key: string): unknown {
  return isPlainObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

function seconds(amount: number): string {
  return `${Math.round(amount)} s`;
}

function reject(code: TokenErrorCode, message: string): TokenRejected {
  return { ok: false, code, message };
}
