import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfigError, loadRuntimeConfig, variableNames, type RuntimeConfig } from './index.ts';

// The smallest valid environment: every test changes one thing in it.
const base = {
  DATABASE_URL: 'postgresql://electric:s3cret@db.example.com:5432/app',
  AUTH_MODE: 'insecure',
  LOGICAL_PUBLISHER_HOST: 'electric.example.com',
} as const;

const hs256Key = 'k'.repeat(32);
const secureBase = { ...base, AUTH_MODE: 'secure', AUTH_JWT_ALG: 'HS256', AUTH_JWT_KEY: hs256Key } as const;

function pem(type: 'rsa' | 'ec', namedCurve = 'P-256'): string {
  const { publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

async function load(env: Record<string, string>): Promise<RuntimeConfig> {
  return loadRuntimeConfig(env);
}

/** Loads an environment that must fail, and returns the problems reported for `variable`. */
async function problemsFor(env: Record<string, string>, variable: string) {
  const error = await load(env).then(
    () => assert.fail(`expected a configuration error for ${variable}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
  const found = error.problems.filter((p) => p.variable === variable);
  assert.ok(found.length > 0, `no problem reported for ${variable}; got: ${error.message}`);
  for (const p of found) assert.ok(p.fix.length > 0, 'every problem says how to fix it');
  return { problems: found, message: error.message };
}

interface VariableCase {
  readonly variable: string;
  readonly env?: Record<string, string>; // the environment the variable is tested in (default: base)
  readonly read: (config: RuntimeConfig) => unknown;
  readonly default: unknown;
  readonly good: readonly [string, unknown];
  readonly bad: readonly [string, RegExp];
}

const cases: VariableCase[] = [
  {
    variable: 'DATABASE_REQUIRE_SSL',
    read: (c) => c.database.ssl,
    default: 'require',
    good: ['false', 'prefer'],
    bad: ['maybe', /is not a boolean/],
  },
  {
    variable: 'DATABASE_USE_IPV6',
    read: (c) => c.database.useIpv6,
    default: false,
    good: ['true', true],
    bad: ['yes please', /is not a boolean/],
  },
  {
    variable: 'ELECTRIC_USE_IPV6',
    read: (c) => c.http.listenOnIpv6,
    default: true,
    good: ['false', false],
    bad: ['2', /is not a boolean/],
  },
  { variable: 'HTTP_PORT', read: (c) => c.http.port, default: 5133, good: ['8080', 8080], bad: ['70000', /must be from 1 to 65535/] },
  {
    variable: 'LOGICAL_PUBLISHER_PORT',
    read: (c) => c.logicalPublisher.port,
    default: 5433,
    good: ['15433', 15433],
    bad: ['port', /is not an integer/],
  },
  {
    variable: 'ELECTRIC_WRITE_TO_PG_MODE',
    read: (c) => c.writeToPgMode,
    default: 'logical_replication',
    good: ['direct_writes', 'direct_writes'],
    bad: ['carrier_pigeon', /is not one of logical_replication, direct_writes/],
  },
  {
    variable: 'PG_PROXY_PORT',
    read: (c) => c.pgProxy,
    default: { port: 65432, httpTunnel: false, password: undefined },
    good: ['http:8432', { port: 8432, httpTunnel: true, password: undefined }],
    bad: ['ftp:21', /has the wrong format/],
  },
  {
    variable: 'PG_PROXY_PASSWORD',
    read: (c) => c.pgProxy.password,
    default: undefined,
    good: ['proxy-pass', 'proxy-pass'],
    bad: [' ', /./], // replaced below: an empty value counts as unset, so there is no bad string value
  },
  {
    variable: 'AUTH_MODE',
    env: secureBase,
    read: (c) => c.auth.mode,
    default: 'secure',
    good: ['secure', 'secure'],
    bad: ['open', /is not one of secure, insecure/],
  },
  {
    variable: 'AUTH_JWT_ALG',
    env: secureBase,
    read: (c) => (c.auth.mode === 'secure' ? c.auth.algorithm : undefined),
    default: 'HS256',
    good: ['HS256', 'HS256'],
    bad: ['none', /is not one of HS256/],
  },
  {
    variable: 'AUTH_JWT_NAMESPACE',
    read: (c) => c.auth.namespace,
    default: undefined,
    good: ['https://example.com/jwt/claims', 'https://example.com/jwt/claims'],
    bad: [' ', /./],
  },
  {
    variable: 'AUTH_JWT_ISS',
    env: secureBase,
    read: (c) => (c.auth.mode === 'secure' ? c.auth.issuer : undefined),
    default: undefined,
    good: ['https://issuer.example.com', 'https://issuer.example.com'],
    bad: [' ', /./],
  },
  {
    variable: 'AUTH_JWT_AUD',
    env: secureBase,
    read: (c) => (c.auth.mode === 'secure' ? c.auth.audience : undefined),
    default: undefined,
    good: ['my-app', 'my-app'],
    bad: [' ', /./],
  },
  { variable: 'LOG_LEVEL', read: (c) => c.logLevel, default: 'info', good: ['debug', 'debug'], bad: ['verbose', /is not one of/] },
  {
    variable: 'ELECTRIC_TELEMETRY',
    read: (c) => c.telemetry,
    default: true,
    good: ['disabled', false],
    bad: ['sometimes', /is not a telemetry switch/],
  },
  {
    variable: 'ELECTRIC_RESUMABLE_WAL_WINDOW',
    read: (c) => c.resumableWalWindowBytes,
    default: 2 * 1024 ** 3,
    good: ['512m', 512_000_000],
    bad: ['2T', /is not a size/],
  },
  {
    variable: 'ELECTRIC_TXN_CACHE_SIZE',
    read: (c) => c.txnCacheSizeBytes,
    default: 256 * 1024 ** 2,
    good: ['1K', 1024],
    bad: ['0', /must be at least 1/],
  },
];

describe('every variable has a default, accepts a good value and refuses a bad one', () => {
  for (const c of cases) {
    const env = c.env ?? base;
    test(`${c.variable}: default`, async () => {
      const withoutIt = { ...env } as Record<string, string>;
      delete withoutIt[c.variable];
      if (c.variable === 'AUTH_JWT_ALG') return assert.equal(c.read(await load(env)), c.default);
      if (c.variable === 'AUTH_MODE') {
        // Unset means secure, so the secure variables are then required.
        return assert.equal(c.read(await load(withoutIt)), c.default);
      }
      assert.deepEqual(c.read(await load(withoutIt)), c.default);
    });
    test(`${c.variable}: accepts ${JSON.stringify(c.good[0])}`, async () => {
      assert.deepEqual(c.read(await load({ ...env, [c.variable]: c.good[0] })), c.good[1]);
    });
    if (c.bad[0].trim() !== '') {
      test(`${c.variable}: refuses ${JSON.stringify(c.bad[0])} with a message naming the variable`, async () => {
        const { problems, message } = await problemsFor({ ...env, [c.variable]: c.bad[0] }, c.variable);
        assert.match(problems[0]?.message ?? '', c.bad[1]);
        assert.match(message, new RegExp(`${c.variable}=`));
      });
    }
  }
});

describe('DATABASE_URL', () => {
  test('is required', async () => {
    const { DATABASE_URL: _, ...rest } = base;
    const { problems } = await problemsFor(rest, 'DATABASE_URL');
    assert.match(problems[0]?.message ?? '', /is required/);
  });

  test('parses user, password, host, port and database, with Electric defaults', async () => {
    assert.deepEqual((await load(base)).database.url, {
      host: 'db.example.com',
      port: 5432,
      user: 'electric',
      password: 's3cret',
      database: 'app',
      sslmode: undefined,
    });
    const defaults = (await load({ ...base, DATABASE_URL: 'postgres://alice@db' })).database.url;
    assert.equal(defaults.port, 5432);
    assert.equal(defaults.database, 'alice', 'the database defaults to the user name');
    const encoded = (await load({ ...base, DATABASE_URL: 'postgresql://al%40ce:p%2Fss@[::1]:6543/my%20db' })).database.url;
    assert.deepEqual([encoded.user, encoded.password, encoded.host, encoded.port, encoded.database], ['al@ce', 'p/ss', '::1', 6543, 'my db']);
  });

  const refused: Array<[string, RegExp]> = [
    ['mysql://u@h/db', /use postgres:\/\/ or postgresql:\/\//],
    ['postgresql://db.example.com/app', /has no user name/],
    ['not a url', /is not a valid URI/],
    ['postgresql://u@h/db?sslmode=verify-full', /Consider using DATABASE_REQUIRE_SSL/],
    ['postgresql://u@h/db?sslmode=verify-ca', /Consider using DATABASE_REQUIRE_SSL/],
    ['postgresql://u@h/db?sslmode=sometimes', /use one of disable, allow, prefer, require/],
    ['postgresql://u@h/db?replication=database', /"replication" option/],
    ['postgresql://u@h/db?connect_timeout=5', /unsupported query option "connect_timeout"/],
  ];
  for (const [url, message] of refused) {
    test(`refuses ${url}`, async () => {
      const { problems } = await problemsFor({ ...base, DATABASE_URL: url }, 'DATABASE_URL');
      assert.match(problems[0]?.message ?? '', message);
    });
  }

  test('never shows the password in an error', async () => {
    const { message } = await problemsFor({ ...base, DATABASE_URL: 'postgresql://u:hunter2@h/db?bad=1' }, 'DATABASE_URL');
    assert.doesNotMatch(message, /hunter2/);
    assert.match(message, /postgresql:\/\/u:\*\*\*\*\*@h\/db/);
  });
});

describe('DATABASE_REQUIRE_SSL and sslmode', () => {
  const cases: Array<[string | undefined, string | undefined, string]> = [
    [undefined, undefined, 'require'],
    [undefined, 'require', 'require'],
    [undefined, 'prefer', 'prefer'],
    [undefined, 'allow', 'prefer'],
    [undefined, 'disable', 'disable'],
    ['true', 'disable', 'require'],
    ['false', 'require', 'prefer'],
  ];
  for (const [requireSsl, sslmode, expected] of cases) {
    test(`DATABASE_REQUIRE_SSL=${requireSsl ?? '(unset)'} with sslmode=${sslmode ?? '(none)'} gives ${expected}`, async () => {
      const env: Record<string, string> = {
        ...base,
        DATABASE_URL: `postgresql://u@h/db${sslmode ? `?sslmode=${sslmode}` : ''}`,
      };
      if (requireSsl) env.DATABASE_REQUIRE_SSL = requireSsl;
      assert.equal((await load(env)).database.ssl, expected);
    });
  }
});

describe('LOGICAL_PUBLISHER_HOST', () => {
  test('is required in logical_replication mode, the default', async () => {
    const { LOGICAL_PUBLISHER_HOST: _, ...rest } = base;
    const { problems } = await problemsFor(rest, 'LOGICAL_PUBLISHER_HOST');
    assert.match(problems[0]?.message ?? '', /required when ELECTRIC_WRITE_TO_PG_MODE=logical_replication/);
  });
  test('is optional in direct_writes mode', async () => {
    const { LOGICAL_PUBLISHER_HOST: _, ...rest } = base;
    const config = await load({ ...rest, ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes' });
    assert.equal(config.logicalPublisher.host, undefined);
  });
  test('is passed through', async () => {
    assert.equal((await load(base)).logicalPublisher.host, 'electric.example.com');
  });
});

describe('secure auth', () => {
  test('needs AUTH_JWT_ALG and AUTH_JWT_KEY, both reported at once', async () => {
    const env = { ...base, AUTH_MODE: 'secure' };
    await problemsFor(env, 'AUTH_JWT_ALG');
    const { problems } = await problemsFor(env, 'AUTH_JWT_KEY');
    assert.match(problems[0]?.message ?? '', /required in secure auth mode/);
  });

  for (const [alg, bytes] of [['HS256', 32], ['HS384', 48], ['HS512', 64]] as const) {
    test(`${alg} needs a key of at least ${bytes} bytes`, async () => {
      const ok = await load({ ...secureBase, AUTH_JWT_ALG: alg, AUTH_JWT_KEY: 'x'.repeat(bytes) });
      assert.equal(ok.auth.mode, 'secure');
      const { problems, message } = await problemsFor({ ...secureBase, AUTH_JWT_ALG: alg, AUTH_JWT_KEY: 'x'.repeat(bytes - 1) }, 'AUTH_JWT_KEY');
      assert.match(problems[0]?.message ?? '', new RegExp(`is ${bytes - 1} bytes long, but ${alg} needs a key of at least ${bytes} bytes`));
      assert.doesNotMatch(message, /xxxxxxxx/, 'the secret is not shown');
    });
  }

  test('AUTH_JWT_KEY_IS_BASE64_ENCODED decodes the key before the length check', async () => {
    const key = Buffer.alloc(32, 7).toString('base64').replace(/=+$/, ''); // padding is optional
    const config = await load({ ...secureBase, AUTH_JWT_KEY: key, AUTH_JWT_KEY_IS_BASE64_ENCODED: 'true' });
    assert.ok(config.auth.mode === 'secure' && config.auth.key instanceof Uint8Array);
    assert.deepEqual(config.auth.mode === 'secure' ? Buffer.from(config.auth.key as Uint8Array) : undefined, Buffer.alloc(32, 7));
    const short = Buffer.alloc(31, 7).toString('base64');
    await problemsFor({ ...secureBase, AUTH_JWT_KEY: short, AUTH_JWT_KEY_IS_BASE64_ENCODED: 'true' }, 'AUTH_JWT_KEY');
    const { problems } = await problemsFor({ ...secureBase, AUTH_JWT_KEY: 'not*base64!', AUTH_JWT_KEY_IS_BASE64_ENCODED: 'true' }, 'AUTH_JWT_KEY');
    assert.match(problems[0]?.message ?? '', /is not valid base64/);
    await problemsFor({ ...secureBase, AUTH_JWT_KEY_IS_BASE64_ENCODED: 'perhaps' }, 'AUTH_JWT_KEY_IS_BASE64_ENCODED');
    assert.equal((await load(secureBase)).auth.mode, 'secure', 'default: the key is used as given');
  });

  test('RS256 takes a PEM RSA public key, parsed at start', async () => {
    const config = await load({ ...secureBase, AUTH_JWT_ALG: 'RS256', AUTH_JWT_KEY: pem('rsa') });
    assert.equal(config.auth.mode === 'secure' && config.auth.algorithm, 'RS256');
  });

  test('ES256 takes a P-256 public key, also base64-encoded', async () => {
    const key = Buffer.from(pem('ec', 'P-256')).toString('base64');
    const config = await load({ ...secureBase, AUTH_JWT_ALG: 'ES256', AUTH_JWT_KEY: key, AUTH_JWT_KEY_IS_BASE64_ENCODED: 'true' });
    assert.equal(config.auth.mode === 'secure' && config.auth.algorithm, 'ES256');
  });

  test('RS256 refuses a shared secret and ES384 refuses a P-256 key', async () => {
    const { problems } = await problemsFor({ ...secureBase, AUTH_JWT_ALG: 'RS256' }, 'AUTH_JWT_KEY');
    assert.match(problems[0]?.message ?? '', /is not a PEM public key/);
    const wrongCurve = await problemsFor({ ...secureBase, AUTH_JWT_ALG: 'ES384', AUTH_JWT_KEY: pem('ec', 'P-256') }, 'AUTH_JWT_KEY');
    assert.match(wrongCurve.problems[0]?.message ?? '', /not a public key usable with ES384/);
  });

  test('issuer, audience and namespace are carried into the auth config', async () => {
    const config = await load({ ...secureBase, AUTH_JWT_ISS: 'iss', AUTH_JWT_AUD: 'aud', AUTH_JWT_NAMESPACE: 'ns' });
    assert.deepEqual(
      config.auth.mode === 'secure' ? [config.auth.issuer, config.auth.audience, config.auth.namespace] : [],
      ['iss', 'aud', 'ns'],
    );
  });
});

describe('insecure auth', () => {
  for (const variable of ['AUTH_JWT_ALG', 'AUTH_JWT_KEY', 'AUTH_JWT_KEY_IS_BASE64_ENCODED', 'AUTH_JWT_ISS', 'AUTH_JWT_AUD']) {
    test(`refuses ${variable}, a secure-only variable`, async () => {
      const value = variable === 'AUTH_JWT_ALG' ? 'HS256' : variable === 'AUTH_JWT_KEY_IS_BASE64_ENCODED' ? 'true' : 'x';
      const { problems } = await problemsFor({ ...base, [variable]: value }, variable);
      assert.match(problems[0]?.message ?? '', /is not valid in Insecure auth mode. Did you forget to set AUTH_MODE=secure\?/);
    });
  }
  test('allows AUTH_JWT_NAMESPACE, which also applies to unsigned tokens', async () => {
    assert.equal((await load({ ...base, AUTH_JWT_NAMESPACE: 'ns' })).auth.namespace, 'ns');
  });
});

describe('other variables', () => {
  test('ELECTRIC_INSTANCE_ID defaults to a random UUID and can be set', async () => {
    const [a, b] = [await load(base), await load(base)];
    assert.match(a.instanceId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a.instanceId, b.instanceId);
    assert.equal((await load({ ...base, ELECTRIC_INSTANCE_ID: 'electric-1' })).instanceId, 'electric-1');
  });

  test('PG_PROXY_PORT accepts a plain port and `http`', async () => {
    assert.deepEqual((await load({ ...base, PG_PROXY_PORT: '7000' })).pgProxy.port, 7000);
    assert.deepEqual((await load({ ...base, PG_PROXY_PORT: 'http' })).pgProxy, { port: 65432, httpTunnel: true, password: undefined });
  });

  test('PG_PROXY_PASSWORD is never shown in errors', async () => {
    // A password cannot be invalid by itself, so provoke another problem and check the report.
    const error = await load({ ...base, PG_PROXY_PASSWORD: 'hunter2', HTTP_PORT: 'x' }).catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.doesNotMatch(error.message, /hunter2/);
  });

  test('an empty value counts as unset', async () => {
    assert.equal((await load({ ...base, HTTP_PORT: '' })).http.port, 5133);
  });

  test('every schema variable is covered by these tests', () => {
    const covered = new Set([
      ...cases.map((c) => c.variable),
      'DATABASE_URL',
      'LOGICAL_PUBLISHER_HOST',
      'AUTH_JWT_KEY',
      'AUTH_JWT_KEY_IS_BASE64_ENCODED',
      'ELECTRIC_INSTANCE_ID',
    ]);
    assert.deepEqual(variableNames.filter((name) => !covered.has(name)), []);
  });
});

test('several bad variables are all reported at once, in schema order', async () => {
  const error = await load({ ...base, HTTP_PORT: 'abc', LOG_LEVEL: 'loud', ELECTRIC_TXN_CACHE_SIZE: '12Q', AUTH_MODE: 'nope' }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(
    error.problems.map((p) => p.variable),
    ['HTTP_PORT', 'AUTH_MODE', 'LOG_LEVEL', 'ELECTRIC_TXN_CACHE_SIZE'],
  );
  assert.match(error.message, /^invalid configuration \(4 problems\):/);
});
