// Reads the runtime's configuration from environment variables: coerce each raw string by its schema format,
// validate the typed values with the schema (ajv), then check what needs code (the database URL, the JWT key).
// Every problem is collected, so one run of the service reports them all.
import { randomUUID } from 'node:crypto';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDatabaseUrl, type DatabaseUrl } from './database-url.ts';
import { coerceEnvValue, parseProxyPort } from './env-values.ts';
import { loadJwtKey, type JwtVerificationKey } from './jwt-key.ts';
import { ConfigError, problem, schemaOf, type ConfigProblem } from './problems.ts';
import {
  runtimeConfigSchema,
  secureOnlyVariables,
  variableNames,
  variables,
  type JwtAlgorithm,
  type LogLevel,
  type VariableName,
  type VariableSchema,
} from './schema.ts';

/** How the connection to PostgreSQL uses SSL: required, tried first with a plain fallback, or not at all. */
export type DatabaseSslMode = 'require' | 'prefer' | 'disable';

export type AuthConfig =
  | { readonly mode: 'insecure'; readonly namespace: string | undefined }
  | {
      readonly mode: 'secure';
      readonly algorithm: JwtAlgorithm;
      readonly key: JwtVerificationKey;
      readonly namespace: string | undefined;
      readonly issuer: string | undefined;
      readonly audience: string | undefined;
    };

export interface RuntimeConfig {
  readonly database: { readonly url: DatabaseUrl; readonly ssl: DatabaseSslMode; readonly useIpv6: boolean };
  readonly http: { readonly port: number; readonly listenOnIpv6: boolean };
  readonly writeToPgMode: 'logical_replication' | 'direct_writes';
  readonly logicalPublisher: { readonly host: string | undefined; readonly port: number };
  readonly pgProxy: { readonly port: number; readonly httpTunnel: boolean; readonly password: string | undefined };
  readonly auth: AuthConfig;
  readonly logLevel: LogLevel;
  readonly telemetry: boolean;
  readonly instanceId: string;
  readonly resumableWalWindowBytes: number;
  readonly txnCacheSizeBytes: number;
}

type TypedValues = Partial<Record<VariableName, string | number | boolean>>;

// strictRequired is off because the cross-variable rules name properties defined at the top level, not beside them.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addVocabulary(['x-env-format', 'x-fix', 'x-since', 'x-secret', 'x-secure-only', 'x-default-doc']);
const validateTypedValues = ajv.compile(runtimeConfigSchema);

/** Loads and checks the configuration. Throws a ConfigError listing every problem found. */
export async function loadRuntimeConfig(env: NodeJS.ProcessEnv): Promise<RuntimeConfig> {
  const raw = readRawValues(env);
  const problems: ConfigProblem[] = [];

  const typed: TypedValues = {};
  for (const name of variableNames) {
    const value = raw[name];
    if (value === undefined) continue;
    const coerced = coerceEnvValue(schemaOf(name)['x-env-format'], value);
    if (coerced.ok) typed[name] = coerced.value;
    else problems.push(problem(name, value, coerced.problem));
  }

  // Through a plain boolean: ajv's validator is a type guard whose narrowing would hide the optional variables.
  let schemaValid: boolean = validateTypedValues(typed as unknown);
  if (!schemaValid) {
    problems.push(...schemaProblems(validateTypedValues.errors ?? [], raw, typed));
  }

  let databaseUrl: DatabaseUrl | undefined;
  if (typeof typed.DATABASE_URL === 'string') {
    const parsed = parseDatabaseUrl(typed.DATABASE_URL);
    if (parsed.ok) databaseUrl = parsed.value;
    else problems.push(problem('DATABASE_URL', raw.DATABASE_URL, parsed.problem));
  }

  const get = <N extends VariableName>(name: N) => (typed[name] ?? (variables[name] as VariableSchema).default) as never;
  let auth: AuthConfig | undefined;
  if (get('AUTH_MODE') === 'insecure') {
    auth = { mode: 'insecure', namespace: typed.AUTH_JWT_NAMESPACE as string | undefined };
  } else if (typeof typed.AUTH_JWT_ALG === 'string' && typeof typed.AUTH_JWT_KEY === 'string') {
    const algorithm = typed.AUTH_JWT_ALG as JwtAlgorithm;
    const loaded = await loadJwtKey(algorithm, typed.AUTH_JWT_KEY, get('AUTH_JWT_KEY_IS_BASE64_ENCODED'));
    if (loaded.ok) {
      auth = {
        mode: 'secure',
        algorithm,
        key: loaded.key,
        namespace: typed.AUTH_JWT_NAMESPACE as string | undefined,
        issuer: typed.AUTH_JWT_ISS as string | undefined,
        audience: typed.AUTH_JWT_AUD as string | undefined,
      };
    } else {
      problems.push(problem('AUTH_JWT_KEY', raw.AUTH_JWT_KEY, loaded.problem));
    }
  }

  if (problems.length > 0 || !databaseUrl || !auth) throw new ConfigError(inSchemaOrder(problems));

  const proxyPort = parseProxyPort(get('PG_PROXY_PORT'));
  return {
    database: { url: databaseUrl, ssl: databaseSslMode(typed.DATABASE_REQUIRE_SSL as boolean | undefined, databaseUrl), useIpv6: get('DATABASE_USE_IPV6') },
    http: { port: get('HTTP_PORT'), listenOnIpv6: get('ELECTRIC_USE_IPV6') },
    writeToPgMode: get('ELECTRIC_WRITE_TO_PG_MODE'),
    logicalPublisher: { host: typed.LOGICAL_PUBLISHER_HOST as string | undefined, port: get('LOGICAL_PUBLISHER_PORT') },
    pgProxy: { ...proxyPort, password: typed.PG_PROXY_PASSWORD as string | undefined },
    auth,
    logLevel: get('LOG_LEVEL'),
    telemetry: get('ELECTRIC_TELEMETRY'),
    instanceId: (typed.ELECTRIC_INSTANCE_ID as string | undefined) ?? randomUUID(),
    resumableWalWindowBytes: get('ELECTRIC_RESUMABLE_WAL_WINDOW'),
    txnCacheSizeBytes: get('ELECTRIC_TXN_CACHE_SIZE'),
  };
}

/**
 * DATABASE_REQUIRE_SSL, when set, wins over the URL's sslmode. Unset, sslmode=require means required, another
 * sslmode means "try SSL, fall back to plain" (disable: plain only), and no sslmode means the default (required).
 */
export function databaseSslMode(requireSsl: boolean | undefined, url: DatabaseUrl): DatabaseSslMode {
  if (requireSsl !== undefined) return requireSsl ? 'require' : 'prefer';
  switch (url.sslmode) {
    case undefined:
    case 'require':
      return 'require';
    case 'disable':
      return 'disable';
    case 'allow':
    case 'prefer':
      return 'prefer';
  }
}

/** Known variables that are set to a non-empty value. An empty value counts as unset, as shells and manifests make it easy to leave one empty. */
function readRawValues(env: NodeJS.ProcessEnv): Partial<Record<VariableName, string>> {
  const raw: Partial<Record<VariableName, string>> = {};
  for (const name of variableNames) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  return raw;
}

function schemaProblems(
  errors: readonly ErrorObject[],
  raw: Partial<Record<VariableName, string>>,
  typed: TypedValues,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const add = (p: ConfigProblem) => {
    const key = `${p.variable}:${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  };
  for (const error of errors) {
    if (error.keyword === 'if') continue; // reported through the failing `then`
    if (error.keyword === 'required') {
      const name = (error.params as { missingProperty: VariableName }).missingProperty;
      add(problem(name, undefined, `is required${requiredBecause(error.schemaPath)}`));
      continue;
    }
    if (error.keyword === 'not' || error.keyword === 'anyOf') {
      // The insecure-mode rule: report each secure-only variable that is set.
      for (const name of secureOnlyVariables) {
        if (typed[name] !== undefined) {
          add(problem(name, raw[name], 'is not valid in Insecure auth mode. Did you forget to set AUTH_MODE=secure?', `unset ${name}, or set AUTH_MODE=secure`));
        }
      }
      continue;
    }
    const name = error.instancePath.replace(/^\//, '') as VariableName;
    if (!(name in variables)) continue;
    add(problem(name, raw[name], describeSchemaError(name, error)));
  }
  return problems;
}

function inSchemaOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const rank = (p: ConfigProblem) => variableNames.indexOf(p.variable as VariableName);
  return problems.sort((a, b) => rank(a) - rank(b));
}

function requiredBecause(schemaPath: string): string {
  if (schemaPath.startsWith('#/allOf/0/')) return ' in secure auth mode (AUTH_MODE=secure, the default)';
  if (schemaPath.startsWith('#/allOf/2/')) return ' when ELECTRIC_WRITE_TO_PG_MODE=logical_replication (the default)';
  return '';
}

function describeSchemaError(name: VariableName, error: ErrorObject): string {
  const schema = schemaOf(name);
  switch (error.keyword) {
    case 'enum':
      return `is not one of ${(schema.enum ?? []).join(', ')}`;
    case 'minimum':
    case 'maximum':
      return schema.maximum === undefined
        ? `must be at least ${schema.minimum}`
        : `must be from ${schema.minimum} to ${schema.maximum}`;
    case 'minLength':
      return 'must not be empty';
    case 'pattern':
      return 'has the wrong format';
    default:
      return error.message ?? 'is invalid';
  }
}
