// The runtime's configuration schema: the single source of truth for every environment variable the sync service
// reads. It validates (through ajv, see load-config.ts), documents (config-docs.ts renders the README table from it)
// and feeds the operator's custom resource schema where the two overlap.
//
// Each property is an environment variable, described as the *typed* value it becomes once parsed: `integer`,
// `boolean` or `string`. The `x-*` keywords carry what JSON Schema cannot say:
//   x-env-format  how the raw string is turned into the typed value (see env-values.ts)
//   x-secret      never print the value
//   x-since       the Electric release that introduced the variable
//   x-fix         how to fix a bad value, shown with every error
//   x-default-doc how to describe a default that is computed, not constant
//   x-secure-only setting it while AUTH_MODE=insecure is an error, as in Electric 0.9.3+

export const envFormats = ['string', 'integer', 'boolean', 'size', 'telemetry', 'proxy-port'] as const;
export type EnvFormat = (typeof envFormats)[number];

export interface VariableSchema {
  readonly type: 'string' | 'integer' | 'boolean';
  readonly description: string;
  readonly default?: string | number | boolean;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly 'x-env-format': EnvFormat;
  readonly 'x-fix': string;
  readonly 'x-since': string;
  readonly 'x-secret'?: boolean;
  readonly 'x-secure-only'?: boolean;
  readonly 'x-default-doc'?: string;
}

export const jwtAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

// Electric's parser accepts all of these; its docs list only error, warning, info and debug.
export const logLevels = ['emergency', 'alert', 'critical', 'error', 'warning', 'warn', 'notice', 'info', 'debug'] as const;
export type LogLevel = (typeof logLevels)[number];

export const telemetryOffValues = ['0', 'f', 'false', 'disable', 'disabled', 'n', 'no', 'off'] as const;
export const telemetryOnValues = ['1', 't', 'true', 'enable', 'enabled', 'y', 'yes', 'on'] as const;

const port = { type: 'integer', minimum: 1, maximum: 65535, 'x-env-format': 'integer' } as const;

export const variables = {
  DATABASE_URL: {
    type: 'string',
    description:
      'PostgreSQL connection URI, `postgres://` or `postgresql://`. It must name a user; the database defaults to the ' +
      'user name and the port to 5432. The only query option allowed is `sslmode` (disable, allow, prefer, require).',
    'x-env-format': 'string',
    'x-secret': true,
    'x-since': '0.6.0',
    'x-fix': 'set DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/DATABASE',
  },
  DATABASE_REQUIRE_SSL: {
    type: 'boolean',
    default: true,
    description:
      'Require SSL for connections to PostgreSQL. When set, it overrides `sslmode` in DATABASE_URL; when unset, ' +
      '`sslmode=require` means true and any other `sslmode` false. When false, SSL is tried first, then plain TCP.',
    'x-env-format': 'boolean',
    'x-since': '0.6.0',
    'x-fix': 'use true or false',
    'x-default-doc': '`true` (or from `sslmode`)',
  },
  DATABASE_USE_IPV6: {
    type: 'boolean',
    default: false,
    description: 'Resolve the database host to an IPv6 address first, falling back to IPv4.',
    'x-env-format': 'boolean',
    'x-since': '0.7.0',
    'x-fix': 'use true or false',
  },
  ELECTRIC_USE_IPV6: {
    type: 'boolean',
    default: true,
    description: 'Listen on IPv6 and IPv4 (`::`) instead of IPv4 only (`0.0.0.0`).',
    'x-env-format': 'boolean',
    'x-since': '0.7.0',
    'x-fix': 'use true or false (false where the host has no IPv6)',
  },
  HTTP_PORT: {
    ...port,
    default: 5133,
    description: 'Port of the HTTP server: the Satellite WebSocket at `/ws` and the API under `/api`.',
    'x-since': '0.6.0',
    'x-fix': 'use a TCP port number from 1 to 65535, e.g. 5133',
  },
  LOGICAL_PUBLISHER_HOST: {
    type: 'string',
    minLength: 1,
    description:
      'Host name or address at which PostgreSQL reaches this service’s logical publisher. Required when ' +
      'ELECTRIC_WRITE_TO_PG_MODE=logical_replication.',
    'x-env-format': 'string',
    'x-since': '0.6.0',
    'x-fix':
      'set LOGICAL_PUBLISHER_HOST to a name or address of this service that the database can connect to, or set ' +
      'ELECTRIC_WRITE_TO_PG_MODE=direct_writes',
  },
  LOGICAL_PUBLISHER_PORT: {
    ...port,
    default: 5433,
    description: 'Port of the logical publisher that PostgreSQL subscribes to (logical_replication mode only).',
    'x-since': '0.6.0',
    'x-fix': 'use a TCP port number from 1 to 65535, e.g. 5433',
  },
  ELECTRIC_WRITE_TO_PG_MODE: {
    type: 'string',
    enum: ['logical_replication', 'direct_writes'],
    default: 'logical_replication',
    description:
      'How client writes reach PostgreSQL: as a logical replication stream that PostgreSQL subscribes to ' +
      '(`logical_replication`, needs a superuser), or as plain SQL over a normal connection (`direct_writes`).',
    'x-env-format': 'string',
    'x-since': '0.8.1',
    'x-fix': 'use logical_replication or direct_writes',
  },
  PG_PROXY_PORT: {
    type: 'string',
    pattern: '^([0-9]{1,5}|http|http:[0-9]{1,5})$',
    default: '65432',
    description:
      'Port of the migrations proxy. `http` or `http:<port>` also accepts the proxy tunnelled over WebSocket at `/proxy`.',
    'x-env-format': 'proxy-port',
    'x-since': '0.7.0',
    'x-fix': 'use a port number (65432), `http`, or `http:<port>`',
  },
  PG_PROXY_PASSWORD: {
    type: 'string',
    minLength: 1,
    description: 'Password that clients use to connect to the migrations proxy.',
    'x-env-format': 'string',
    'x-secret': true,
    'x-since': '0.7.0',
    'x-fix': 'set PG_PROXY_PASSWORD to a non-empty password',
  },
  AUTH_MODE: {
    type: 'string',
    enum: ['secure', 'insecure'],
    default: 'secure',
    description:
      '`secure` verifies signed JWTs with AUTH_JWT_ALG and AUTH_JWT_KEY. `insecure` accepts unsigned tokens: for ' +
      'development only.',
    'x-env-format': 'string',
    'x-since': '0.6.0',
    'x-fix': 'Must be one of ["secure", "insecure"]',
  },
  AUTH_JWT_ALG: {
    type: 'string',
    enum: jwtAlgorithms,
    description: 'Signing algorithm that client tokens must use. Required in secure mode.',
    'x-env-format': 'string',
    'x-secure-only': true,
    'x-since': '0.6.0',
    'x-fix': `use one of ${jwtAlgorithms.join(', ')}`,
  },
  AUTH_JWT_KEY: {
    type: 'string',
    minLength: 1,
    description:
      'Key that verifies client tokens. HS256/384/512: the shared secret, at least 32/48/64 bytes. RS* and ES*: a ' +
      'PEM public key (`-----BEGIN PUBLIC KEY-----`). Required in secure mode.',
    'x-env-format': 'string',
    'x-secret': true,
    'x-secure-only': true,
    'x-since': '0.6.0',
    'x-fix': 'set AUTH_JWT_KEY to the secret (HS*) or PEM public key (RS*, ES*) that signs your tokens',
  },
  AUTH_JWT_KEY_IS_BASE64_ENCODED: {
    type: 'boolean',
    default: false,
    description: 'AUTH_JWT_KEY is base64-encoded (padding optional); decode it before use.',
    'x-env-format': 'boolean',
    'x-secure-only': true,
    'x-since': '0.11.0',
    'x-fix': 'use true or false',
  },
  AUTH_JWT_NAMESPACE: {
    type: 'string',
    minLength: 1,
    description:
      'Name of the token claim that holds `sub` / `user_id`, e.g. `https://example.com/jwt/claims`. Standard claims ' +
      'stay at the top level.',
    'x-env-format': 'string',
    'x-since': '0.6.0',
    'x-fix': 'set AUTH_JWT_NAMESPACE to the claim name, or unset it',
  },
  AUTH_JWT_ISS: {
    type: 'string',
    minLength: 1,
    description: 'When set, tokens must carry this `iss` claim.',
    'x-env-format': 'string',
    'x-secure-only': true,
    'x-since': '0.6.0',
    'x-fix': 'set AUTH_JWT_ISS to the issuer of your tokens, or unset it',
  },
  AUTH_JWT_AUD: {
    type: 'string',
    minLength: 1,
    description: 'When set, tokens must carry this `aud` claim.',
    'x-env-format': 'string',
    'x-secure-only': true,
    'x-since': '0.6.0',
    'x-fix': 'set AUTH_JWT_AUD to the audience of your tokens, or unset it',
  },
  LOG_LEVEL: {
    type: 'string',
    enum: logLevels,
    default: 'info',
    description: 'Least severe level logged: error, warning, info or debug (also emergency, alert, critical, warn, notice).',
    'x-env-format': 'string',
    'x-since': '0.6.0',
    'x-fix': 'use error, warning, info or debug',
  },
  ELECTRIC_TELEMETRY: {
    type: 'boolean',
    default: true,
    description:
      'Anonymous usage telemetry. Off: 0, f, false, disable, disabled, n, no, off. On: 1, t, true, enable, enabled, y, ' +
      'yes, on. This service sends no telemetry anywhere yet; the switch is kept for compatibility.',
    'x-env-format': 'telemetry',
    'x-since': '0.6.0',
    'x-fix': 'use enabled or disabled',
    'x-default-doc': '`enabled`',
  },
  ELECTRIC_INSTANCE_ID: {
    type: 'string',
    minLength: 1,
    description: 'Identifier of this instance, returned to clients when they authenticate.',
    'x-env-format': 'string',
    'x-since': '0.6.0',
    'x-fix': 'set ELECTRIC_INSTANCE_ID to a non-empty identifier, or unset it',
    'x-default-doc': 'a random UUID',
  },
  ELECTRIC_RESUMABLE_WAL_WINDOW: {
    type: 'integer',
    minimum: 1,
    default: 2 * 1024 ** 3,
    description:
      'How much WAL the replication slot keeps so that clients can resume. Bytes, or a size with suffix k, m, g ' +
      '(powers of 1000) or K, M, G (powers of 1024).',
    'x-env-format': 'size',
    'x-since': '0.11.0',
    'x-fix': 'use a size such as 2G, 512M or 100000000',
    'x-default-doc': '`2G`',
  },
  ELECTRIC_TXN_CACHE_SIZE: {
    type: 'integer',
    minimum: 1,
    default: 256 * 1024 ** 2,
    description: 'Memory for recent transactions kept to serve resuming clients. Same format as ELECTRIC_RESUMABLE_WAL_WINDOW.',
    'x-env-format': 'size',
    'x-since': '0.11.0',
    'x-fix': 'use a size such as 256M, 1G or 100000000',
    'x-default-doc': '`256M`',
  },
} as const satisfies Record<string, VariableSchema>;

export type VariableName = keyof typeof variables;
export const variableNames = Object.keys(variables) as VariableName[];

const secureOnly = variableNames.filter((name) => (variables[name] as VariableSchema)['x-secure-only']);

/**
 * The whole schema, over typed values. Cross-variable rules are expressed here too, so that the operator's CRD can
 * carry the same rules (as CEL) and the docs can state them.
 */
export const runtimeConfigSchema = {
  $id: 'https://electric-sync.dev/schemas/runtime-config.json',
  title: 'electric-sync runtime configuration (environment variables)',
  type: 'object',
  properties: variables,
  required: ['DATABASE_URL'],
  allOf: [
    {
      if: { properties: { AUTH_MODE: { const: 'secure' } } },
      then: { required: ['AUTH_JWT_ALG', 'AUTH_JWT_KEY'] },
    },
    {
      if: { properties: { AUTH_MODE: { const: 'insecure' } }, required: ['AUTH_MODE'] },
      then: { not: { anyOf: secureOnly.map((name) => ({ required: [name] })) } },
    },
    {
      if: { properties: { ELECTRIC_WRITE_TO_PG_MODE: { const: 'logical_replication' } } },
      then: { required: ['LOGICAL_PUBLISHER_HOST'] },
    },
  ],
} as const;

export const secureOnlyVariables: readonly VariableName[] = secureOnly;
