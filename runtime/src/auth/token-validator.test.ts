import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import type { AuthConfig } from '../config/index.ts';
import { loadJwtKey } from '../config/jwt-key.ts';
import type { JwtAlgorithm } from '../config/schema.ts';
import { authErrorTypes, createTokenValidator, tokenErrorCodes, type TokenValidation } from './index.ts';

// Tokens are built here byte by byte with node:crypto (not with jose, the library under test), so a test states what
// is on the wire independently of the code that reads it.

const NOW_S = 1_700_000_000;
const NOW_MS = NOW_S * 1000 + 500;
const clock = (ms: number = NOW_MS) => ({ now: () => ms });

const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

type SigningKey = Uint8Array | KeyObject;

function signToken(alg: string, claims: unknown, key: SigningKey, header: Record<string, unknown> = {}): string {
  const input = `${b64url({ alg, typ: 'JWT', ...header })}.${b64url(claims)}`;
  const hash = `sha${alg.slice(2)}`;
  let signature: Buffer;
  if (alg.startsWith('HS')) signature = createHmac(hash, key as Uint8Array).update(input).digest();
  else if (alg.startsWith('RS')) signature = cryptoSign(hash, Buffer.from(input), key as KeyObject);
  else signature = cryptoSign(hash, Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function unsignedToken(claims: unknown, trailingDot = true): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}${trailingDot ? '.' : ''}`;
}

const validClaims = (extra: Record<string, unknown> = {}) => ({ sub: 'alice', iat: NOW_S - 10, exp: NOW_S + 600, ...extra });

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

interface AlgorithmFixture {
  readonly alg: JwtAlgorithm;
  /** What AUTH_JWT_KEY holds. */
  readonly configuredKey: string;
  readonly signingKey: SigningKey;
  readonly wrongKey: SigningKey;
  /** Another algorithm the same kind of key can sign with. */
  readonly otherAlg: string;
  readonly otherAlgKey: SigningKey;
}

const secret = (length: number, fill: string) => fill.repeat(length);
const fixtures: readonly AlgorithmFixture[] = [
  ...([['HS256', 32], ['HS384', 48], ['HS512', 64]] as const).map(([alg, length]): AlgorithmFixture => ({
    alg,
    configuredKey: secret(length, 'k'),
    signingKey: Buffer.from(secret(length, 'k')),
    wrongKey: Buffer.from(secret(length, 'w')),
    otherAlg: alg === 'HS256' ? 'HS512' : 'HS256',
    otherAlgKey: Buffer.from(secret(length, 'k')),
  })),
  {
    alg: 'RS256',
    configuredKey: pem(rsa.publicKey),
    signingKey: rsa.privateKey,
    wrongKey: otherRsa.privateKey,
    otherAlg: 'RS384',
    otherAlgKey: rsa.privateKey,
  },
  {
    alg: 'ES256',
    configuredKey: pem(ec.publicKey),
    signingKey: ec.privateKey,
    wrongKey: otherEc.privateKey,
    otherAlg: 'RS256',
    otherAlgKey: rsa.privateKey,
  },
  // The other algorithms Electric supports, more briefly covered by the same cases.
  {
    alg: 'RS512',
    configuredKey: pem(rsa.publicKey),
    signingKey: rsa.privateKey,
    wrongKey: otherRsa.privateKey,
    otherAlg: 'RS256',
    otherAlgKey: rsa.privateKey,
  },
  {
    alg: 'ES384',
    configuredKey: pem(ec384.publicKey),
    signingKey: ec384.privateKey,
    wrongKey: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
    otherAlg: 'ES256',
    otherAlgKey: ec.privateKey,
  },
  {
    alg: 'ES512',
    configuredKey: pem(ec521.publicKey),
    signingKey: ec521.privateKey,
    wrongKey: generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
    otherAlg: 'HS512',
    otherAlgKey: Buffer.from(secret(64, 'k')),
  },
];

async function secureAuth(
  alg: JwtAlgorithm,
  configuredKey: string,
  extra: { namespace?: string; issuer?: string; audience?: string } = {},
): Promise<AuthConfig> {
  const loaded = await loadJwtKey(alg, configuredKey, false);
  assert.ok(loaded.ok, 'the test key loads');
  return { mode: 'secure', algorithm: alg, key: loaded.key, namespace: extra.namespace, issuer: extra.issuer, audience: extra.audience };
}

const HS256_KEY = secret(32, 'k');
async function hs256Validator(extra: Parameters<typeof secureAuth>[2] = {}, ms?: number) {
  return createTokenValidator(await secureAuth('HS256', HS256_KEY, extra), clock(ms));
}
const hs256 = (claims: unknown, header?: Record<string, unknown>) => signToken('HS256', claims, Buffer.from(HS256_KEY), header);

function assertRejected(result: TokenValidation, code: string, messageStart?: string): void {
  assert.equal(result.ok, false, `expected ${code}, got ${JSON.stringify(result)}`);
  if (result.ok) return;
  assert.equal(result.code, code, result.message);
  if (messageStart !== undefined) assert.ok(result.message.startsWith(messageStart), result.message);
}

describe('secure mode, per algorithm', () => {
  for (const fixture of fixtures) {
    describe(fixture.alg, () => {
      test('accepts a token signed with the configured key and returns the user and expiry', async () => {
        const validator = createTokenValidator(await secureAuth(fixture.alg, fixture.configuredKey), clock());
        const result = await validator.validate(signToken(fixture.alg, validClaims(), fixture.signingKey));
        assert.deepEqual(result, { ok: true, userId: 'alice', expiresAt: NOW_S + 600 });
      });

      test('refuses a token signed with another key as an invalid signature', async () => {
        const validator = createTokenValidator(await secureAuth(fixture.alg, fixture.configuredKey), clock());
        const result = await validator.validate(signToken(fixture.alg, validClaims(), fixture.wrongKey));
        assertRejected(result, 'INVALID_SIGNATURE', 'Invalid token signature');
      });

      test('refuses a token whose payload was changed after signing', async () => {
        const validator = createTokenValidator(await secureAuth(fixture.alg, fixture.configuredKey), clock());
        const [header, , signature] = signToken(fixture.alg, validClaims(), fixture.signingKey).split('.');
        const forged = `${header}.${b64url(validClaims({ sub: 'mallory' }))}.${signature}`;
        assertRejected(await validator.validate(forged), 'INVALID_SIGNATURE');
      });

      test(`refuses a token of another algorithm (${fixture.otherAlg}) as a signing algorithm mismatch`, async () => {
        const validator = createTokenValidator(await secureAuth(fixture.alg, fixture.configuredKey), clock());
        const result = await validator.validate(signToken(fixture.otherAlg, validClaims(), fixture.otherAlgKey));
        assertRejected(result, 'SIGNING_ALGORITHM_MISMATCH', 'Signing algorithm mismatch');
        assert.match((result as { message: string }).message, new RegExp(`signed with ${fixture.otherAlg} but AUTH_JWT_ALG is ${fixture.alg}`));
      });

      test('refuses an unsigned token (alg none), with or without the trailing dot', async () => {
        const validator = createTokenValidator(await secureAuth(fixture.alg, fixture.configuredKey), clock());
        for (const token of [unsignedToken(validClaims()), unsignedToken(validClaims(), false)]) {
          const result = await validator.validate(token);
          assertRejected(result, 'SIGNING_ALGORITHM_MISMATCH', 'Signing algorithm mismatch: the token is unsigned (alg "none")');
        }
      });

      test('refuses an unsigned token whose header claims the configured algorithm', async () => {
        const validator = createTokenValidator(await secureAuth(fixture.alg, fixture.configuredKey), clock());
        const noSignature = `${b64url({ alg: fixture.alg })}.${b64url(validClaims())}.`;
        const result = await validator.validate(noSignature);
        assert.equal(result.ok, false);
        assert.ok(!result.ok && ['INVALID_SIGNATURE', 'INVALID_TOKEN'].includes(result.code), JSON.stringify(result));
      });
    });
  }
});

describe('secure mode, claims', () => {
  test('requires iat and exp, reporting the first missing one in sorted order as Joken does', async () => {
    const validator = await hs256Validator();
    assertRejected(await validator.validate(hs256({ sub: 'alice', exp: NOW_S + 60 })), 'MISSING_CLAIM', 'Missing required "iat" claim');
    assertRejected(await validator.validate(hs256({ sub: 'alice', iat: NOW_S })), 'MISSING_CLAIM', 'Missing required "exp" claim');
    assertRejected(await validator.validate(hs256({ sub: 'alice' })), 'MISSING_CLAIM', 'Missing required "exp" claim');
  });

  test('refuses an expired token and allows 2 s of clock drift on exp', async () => {
    const validator = await hs256Validator();
    assertRejected(await validator.validate(hs256(validClaims({ exp: NOW_S - 3 }))), 'EXPIRED', 'Expired token');
    assert.equal((await validator.validate(hs256(validClaims({ exp: NOW_S - 2 })))).ok, true);
    assert.equal((await validator.validate(hs256(validClaims({ exp: NOW_S })))).ok, true);
  });

  test('uses whole seconds of the injected clock, as Joken.current_time does', async () => {
    const token = hs256(validClaims({ exp: NOW_S - 2 }));
    const lastMillisecond = await hs256Validator({}, NOW_S * 1000 + 999);
    assert.equal((await lastMillisecond.validate(token)).ok, true);
    const nextSecond = await hs256Validator({}, (NOW_S + 1) * 1000);
    assertRejected(await nextSecond.validate(token), 'EXPIRED');
  });

  test('honours nbf with 2 s of clock drift', async () => {
    const validator = await hs256Validator();
    assert.equal((await validator.validate(hs256(validClaims({ nbf: NOW_S + 2 })))).ok, true);
    assertRejected(await validator.validate(hs256(validClaims({ nbf: NOW_S + 3 }))), 'NOT_YET_VALID', 'Token is not yet valid');
  });

  test('refuses an iat more than 2 s in the future', async () => {
    const validator = await hs256Validator();
    assert.equal((await validator.validate(hs256(validClaims({ iat: NOW_S + 2 })))).ok, true);
    assertRejected(await validator.validate(hs256(validClaims({ iat: NOW_S + 3 }))), 'INVALID_CLAIM', 'Invalid "iat" claim value');
  });

  test('refuses times that are not JSON numbers', async () => {
    const validator = await hs256Validator();
    for (const claim of ['iat', 'exp', 'nbf']) {
      for (const value of [String(NOW_S), null, true, [NOW_S]]) {
        const result = await validator.validate(hs256(validClaims({ [claim]: value })));
        assertRejected(result, 'INVALID_CLAIM', `Invalid "${claim}" claim value`);
      }
    }
  });

  test('accepts fractional NumericDates', async () => {
    const validator = await hs256Validator();
    assert.deepEqual(await validator.validate(hs256(validClaims({ iat: NOW_S + 0.5, exp: NOW_S + 60.25 }))), {
      ok: true,
      userId: 'alice',
      expiresAt: NOW_S + 60.25,
    });
  });

  test('requires and checks iss when AUTH_JWT_ISS is set, and ignores it otherwise', async () => {
    const validator = await hs256Validator({ issuer: 'https://auth.example.com' });
    assertRejected(await validator.validate(hs256(validClaims())), 'MISSING_CLAIM', 'Missing required "iss" claim');
    assertRejected(await validator.validate(hs256(validClaims({ iss: 'https://evil.example.com' }))), 'INVALID_CLAIM', 'Invalid "iss" claim value');
    assert.equal((await validator.validate(hs256(validClaims({ iss: 'https://auth.example.com' })))).ok, true);
    const unconfigured = await hs256Validator();
    assert.equal((await unconfigured.validate(hs256(validClaims({ iss: 'anyone' })))).ok, true);
  });

  test('requires aud to equal AUTH_JWT_AUD exactly when set (an array is refused, as in Electric)', async () => {
    const validator = await hs256Validator({ audience: 'electric' });
    assertRejected(await validator.validate(hs256(validClaims())), 'MISSING_CLAIM', 'Missing required "aud" claim');
    assertRejected(await validator.validate(hs256(validClaims({ aud: 'other' }))), 'INVALID_CLAIM', 'Invalid "aud" claim value');
    assertRejected(await validator.validate(hs256(validClaims({ aud: ['electric'] }))), 'INVALID_CLAIM');
    assert.equal((await validator.validate(hs256(validClaims({ aud: 'electric' })))).ok, true);
    const unconfigured = await hs256Validator();
    assert.equal((await unconfigured.validate(hs256(validClaims({ aud: ['a', 'b'] })))).ok, true);
  });

  test('checks claims that are present before reporting missing ones', async () => {
    const validator = await hs256Validator({ issuer: 'me' });
    assertRejected(await validator.validate(hs256({ sub: 'alice', exp: NOW_S - 100 })), 'EXPIRED');
  });
});

describe('user id', () => {
  const cases: readonly [name: string, claims: Record<string, unknown>, expected: string | null][] = [
    ['sub', { sub: 'alice' }, 'alice'],
    ['user_id when there is no sub', { user_id: 'bob' }, 'bob'],
    ['sub before user_id', { sub: 'alice', user_id: 'bob' }, 'alice'],
    ['user_id when sub is null', { sub: null, user_id: 'bob' }, 'bob'],
    ['user_id when sub is false', { sub: false, user_id: 'bob' }, 'bob'],
    ['untrimmed text as it is', { sub: ' alice ' }, ' alice '],
    ['neither claim', {}, null],
    ['an empty sub, without falling back to user_id', { sub: '', user_id: 'bob' }, null],
    ['a blank sub', { sub: ' \t ' }, null],
    ['a numeric sub', { sub: 42 }, null],
    ['an object sub', { sub: { id: 'alice' } }, null],
    ['a numeric user_id', { user_id: 7 }, null],
  ];
  for (const [name, claims, expected] of cases) {
    test(`${expected === null ? 'refuses' : 'takes'} ${name}`, async () => {
      const validator = await hs256Validator();
      const result = await validator.validate(hs256({ iat: NOW_S, exp: NOW_S + 60, ...claims }));
      if (expected === null) assertRejected(result, 'INVALID_USER_ID', "Missing or invalid 'user_id'");
      else assert.deepEqual(result, { ok: true, userId: expected, expiresAt: NOW_S + 60 });
    });
  }

  test('reads sub or user_id only inside the AUTH_JWT_NAMESPACE claim object when it is set', async () => {
    const ns = 'https://example.com/jwt/claims';
    const validator = await hs256Validator({ namespace: ns });
    assert.equal((await validator.validate(hs256(validClaims({ sub: undefined, [ns]: { sub: 'carol' } })))).ok, true);
    assert.deepEqual(await validator.validate(hs256({ iat: NOW_S, exp: NOW_S + 1, [ns]: { user_id: 'dave' } })), {
      ok: true,
      userId: 'dave',
      expiresAt: NOW_S + 1,
    });
    const topLevelOnly = await validator.validate(hs256(validClaims({ sub: 'alice' })));
    assertRejected(topLevelOnly, 'INVALID_USER_ID');
    assert.match((topLevelOnly as { message: string }).message, /inside the "https:\/\/example.com\/jwt\/claims" claim object/);
    assertRejected(await validator.validate(hs256(validClaims({ [ns]: 'alice' }))), 'INVALID_USER_ID');
    assertRejected(await validator.validate(hs256(validClaims({ [ns]: ['alice'] }))), 'INVALID_USER_ID');
  });

  test('reads the standard claims at the top level even with a namespace', async () => {
    const ns = 'app';
    const validator = await hs256Validator({ namespace: ns });
    const result = await validator.validate(hs256({ [ns]: { sub: 'carol', iat: NOW_S, exp: NOW_S + 60 } }));
    assertRejected(result, 'MISSING_CLAIM');
  });

  test('does not read inherited properties as claims', async () => {
    const validator = await hs256Validator({ namespace: 'constructor' });
    assertRejected(await validator.validate(hs256(validClaims())), 'INVALID_USER_ID');
  });
});

describe('garbage', () => {
  const garbage: readonly string[] = [
    '',
    'garbage',
    'a.b.c',
    '...',
    '..',
    'a.b',
    '%%%.%%%.%%%',
    `${b64url('not json')}.${b64url(validClaims())}.c2ln`,
    `${b64url({ alg: 'HS256' })}.${b64url('[1,2]')}.c2ln`,
    `${b64url({ alg: 'HS256' })}.${b64url(validClaims())}`,
    `${b64url({ alg: 'HS256' })}.${b64url(validClaims())}.c2ln.extra.parts`,
    'x'.repeat(70_000),
  ];

  test('refuses every malformed token in secure mode without throwing', async () => {
    const validator = await hs256Validator();
    for (const token of garbage) {
      const result = await validator.validate(token);
      assert.equal(result.ok, false, token.slice(0, 40));
      assert.ok(!result.ok && tokenErrorCodes.includes(result.code));
    }
  });

  test('refuses every malformed token in insecure mode without throwing', async () => {
    const validator = createTokenValidator({ mode: 'insecure', namespace: undefined }, clock());
    for (const token of garbage.filter((t) => !t.includes(b64url(validClaims())))) {
      const result = await validator.validate(token);
      assertRejected(result, 'INVALID_TOKEN');
    }
  });

  test('refuses a header with an algorithm we do not know without repeating it', async () => {
    const validator = await hs256Validator();
    const result = await validator.validate(hs256(validClaims(), { alg: '<script>alert(1)</script>' }));
    assertRejected(result, 'SIGNING_ALGORITHM_MISMATCH');
    assert.doesNotMatch((result as { message: string }).message, /script/);
    assertRejected(await validator.validate(`${b64url({ typ: 'JWT' })}.${b64url(validClaims())}.c2ln`), 'SIGNING_ALGORITHM_MISMATCH');
  });

  test('never repeats the token, or a part of it, in a message', async () => {
    const validator = await hs256Validator({ issuer: 'me', audience: 'you' });
    const tokens = [
      ...garbage.filter((t) => t.length > 8 && t.length < 1000),
      hs256(validClaims({ exp: NOW_S - 100 })),
      hs256(validClaims({ iss: 'someone-else', aud: 'you' })),
      hs256(validClaims({ sub: 'alice-secret-user', iss: 'me', aud: 'nobody' })),
      signToken('HS256', validClaims(), Buffer.from(secret(32, 'w'))),
    ];
    for (const token of tokens) {
      const result = await validator.validate(token);
      assert.equal(result.ok, false);
      if (result.ok) continue;
      for (const part of token.split('.').filter((p) => p.length >= 4)) assert.ok(!result.message.includes(part), result.message);
      assert.doesNotMatch(result.message, /someone-else|alice-secret-user|nobody/);
    }
  });
});

describe('insecure mode', () => {
  const insecure = (namespace?: string, ms?: number) => createTokenValidator({ mode: 'insecure', namespace }, clock(ms));

  test('accepts an unsigned token with or without the trailing dot', async () => {
    const validator = insecure();
    assert.deepEqual(await validator.validate(unsignedToken({ sub: 'alice' })), { ok: true, userId: 'alice' });
    assert.deepEqual(await validator.validate(unsignedToken({ user_id: 'bob' }, false)), { ok: true, userId: 'bob' });
  });

  test('accepts a signed token without checking the signature', async () => {
    const validator = insecure();
    const token = signToken('HS256', validClaims(), Buffer.from(secret(32, 'w')));
    assert.deepEqual(await validator.validate(token), { ok: true, userId: 'alice', expiresAt: NOW_S + 600 });
    const [header, payload] = token.split('.');
    assert.equal((await validator.validate(`${header}.${payload}.bm90LWEtc2lnbmF0dXJl`)).ok, true);
  });

  test('does not require iat or exp but checks them, and nbf, when present', async () => {
    const validator = insecure();
    assert.deepEqual(await validator.validate(unsignedToken({ sub: 'alice' })), { ok: true, userId: 'alice' });
    assertRejected(await validator.validate(unsignedToken({ sub: 'alice', exp: NOW_S - 3 })), 'EXPIRED');
    assert.equal((await validator.validate(unsignedToken({ sub: 'alice', exp: NOW_S - 2 }))).ok, true);
    assertRejected(await validator.validate(unsignedToken({ sub: 'alice', iat: NOW_S + 3 })), 'INVALID_CLAIM');
    assertRejected(await validator.validate(unsignedToken({ sub: 'alice', nbf: NOW_S + 3 })), 'NOT_YET_VALID');
    assertRejected(await validator.validate(unsignedToken({ sub: 'alice', exp: 'soon' })), 'INVALID_CLAIM');
  });

  test('does not check iss or aud', async () => {
    assert.equal((await insecure().validate(unsignedToken({ sub: 'alice', iss: 'x', aud: ['y'] }))).ok, true);
  });

  test('requires sub or user_id, under the namespace when set', async () => {
    assertRejected(await insecure().validate(unsignedToken({ name: 'alice' })), 'INVALID_USER_ID');
    assertRejected(await insecure('ns').validate(unsignedToken({ sub: 'alice' })), 'INVALID_USER_ID');
    assert.deepEqual(await insecure('ns').validate(unsignedToken({ ns: { sub: 'alice' } })), { ok: true, userId: 'alice' });
  });

  test('ignores the header entirely, as Electric peeks only at the claims', async () => {
    assert.equal((await insecure().validate(`${b64url({ alg: 'RS256' })}.${b64url({ sub: 'alice' })}`)).ok, true);
  });
});

test('maps refusals to the SatErrorResp types Electric sends', () => {
  assert.deepEqual(authErrorTypes, { authenticate: 'AUTH_REQUIRED', renew: 'INVALID_REQUEST' });
});
