// Checks AUTH_JWT_KEY against AUTH_JWT_ALG at start-up, so a bad key stops the service before it accepts clients
// instead of failing every client later.
import { importSPKI, type CryptoKey } from 'jose';
import type { JwtAlgorithm } from './schema.ts';

export type JwtVerificationKey = Uint8Array | CryptoKey;

export type LoadedJwtKey = { readonly ok: true; readonly key: JwtVerificationKey } | { readonly ok: false; readonly problem: string };

/** Minimum HMAC secret length in bytes: the hash size, as Electric requires. */
export const hmacMinimumBytes: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

export async function loadJwtKey(algorithm: JwtAlgorithm, rawKey: string, isBase64Encoded: boolean): Promise<LoadedJwtKey> {
  let keyBytes: Uint8Array;
  if (isBase64Encoded) {
    const decoded = decodeBase64(rawKey);
    if (!decoded) {
      return { ok: false, problem: 'is not valid base64 although AUTH_JWT_KEY_IS_BASE64_ENCODED=true' };
    }
    keyBytes = decoded;
  } else {
    keyBytes = new TextEncoder().encode(rawKey);
  }

  const minimum = hmacMinimumBytes[algorithm];
  if (minimum !== undefined) {
    if (keyBytes.length < minimum) {
      return {
        ok: false,
        problem: `is ${keyBytes.length} bytes long, but ${algorithm} needs a key of at least ${minimum} bytes`,
      };
    }
    return { ok: true, key: keyBytes };
  }

  const pem = new TextDecoder().decode(keyBytes).trim();
  if (!pem.startsWith('-----BEGIN PUBLIC KEY-----')) {
    return {
      ok: false,
      problem: `is not a PEM public key: ${algorithm} needs one starting with "-----BEGIN PUBLIC KEY-----"`,
    };
  }
  try {
    return { ok: true, key: await importSPKI(pem, algorithm) };
  } catch (error) {
    return {
      ok: false,
      problem: `is not a public key usable with ${algorithm} (${(error as Error).message}): for RS* use an RSA key, for ES256/ES384/ES512 an EC key on P-256/P-384/P-521`,
    };
  }
}

/** Standard base64 with optional padding; undefined when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
