// The operator's own settings, from flags or environment variables (flags win). Read once, in main.ts; nothing else
// reads process.env.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { WatchScope } from './k8s/informer-set.ts';

export interface OperatorConfig {
  readonly kubeconfig: string | undefined;
  readonly scope: WatchScope;
  readonly leaderElection: {
    readonly enabled: boolean;
    readonly namespace: string;
    readonly name: string;
    readonly identity: string;
    readonly leaseDurationMs: number;
    readonly renewDeadlineMs: number;
    readonly retryPeriodMs: number;
  };
  readonly clusterDomain: string;
  readonly runtimeImage: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly workers: number;
  readonly resyncPeriodMs: number;
  readonly relistIntervalMs: number;
  readonly watchdogMs: number;
  readonly databaseProbe: boolean;
  readonly logLevel: 'error' | 'warning' | 'info' | 'debug';
}

/** Each option: flag name, environment variable, default, help. */
export const options = {
  kubeconfig: { env: 'KUBECONFIG', default: '', help: 'kubeconfig file; default: in-cluster service account, then ~/.kube/config' },
  namespaces: { env: 'ELECTRIC_SYNC_NAMESPACES', default: '*', help: 'namespaces to watch: "*" for all, or a comma-separated list' },
  'leader-elect': { env: 'ELECTRIC_SYNC_LEADER_ELECT', default: 'true', help: 'elect a leader through a Lease, so several replicas can run' },
  'leader-election-namespace': { env: 'ELECTRIC_SYNC_LEADER_ELECTION_NAMESPACE', default: '', help: 'namespace of the Lease; default: POD_NAMESPACE, else "default"' },
  'leader-election-id': { env: 'ELECTRIC_SYNC_LEADER_ELECTION_ID', default: 'electric-sync-operator', help: 'name of the Lease' },
  identity: { env: 'ELECTRIC_SYNC_IDENTITY', default: '', help: 'this replica in the Lease; default: POD_NAME, else host name and a random suffix' },
  'lease-duration': { env: 'ELECTRIC_SYNC_LEASE_DURATION', default: '15s', help: 'how long a Lease is valid without renewal' },
  'renew-deadline': { env: 'ELECTRIC_SYNC_RENEW_DEADLINE', default: '10s', help: 'how long the leader keeps trying to renew before it steps down' },
  'retry-period': { env: 'ELECTRIC_SYNC_RETRY_PERIOD', default: '2s', help: 'how often candidates try, and the leader renews' },
  'cluster-domain': { env: 'ELECTRIC_SYNC_CLUSTER_DOMAIN', default: 'cluster.local', help: 'DNS domain of the cluster, for LOGICAL_PUBLISHER_HOST' },
  'runtime-image': { env: 'ELECTRIC_SYNC_RUNTIME_IMAGE', default: 'electric-sync:0.1.0', help: 'runtime image for resources that name none' },
  'http-address': { env: 'ELECTRIC_SYNC_HTTP_ADDRESS', default: ':8080', help: 'host:port of /metrics, /healthz and /readyz' },
  workers: { env: 'ELECTRIC_SYNC_WORKERS', default: '4', help: 'resources reconciled at once' },
  'resync-period': { env: 'ELECTRIC_SYNC_RESYNC_PERIOD', default: '10m', help: 'reconcile every resource at least this often' },
  'relist-interval': { env: 'ELECTRIC_SYNC_RELIST_INTERVAL', default: '10m', help: 'full re-list of every watched resource type' },
  'watch-watchdog': { env: 'ELECTRIC_SYNC_WATCH_WATCHDOG', default: '150s', help: 'restart a watch silent for this long' },
  'database-probe': { env: 'ELECTRIC_SYNC_DATABASE_PROBE', default: 'true', help: 'connect to each database to report DatabaseUnreachable' },
  'log-level': { env: 'ELECTRIC_SYNC_LOG_LEVEL', default: 'info', help: 'error, warning, info or debug' },
} as const;
export type OptionName = keyof typeof options;

export function usage(): string {
  const lines = Object.entries(options).map(
    ([name, o]) => `  --${name.padEnd(26)} ${o.help}\n  ${' '.repeat(28)} env ${o.env}${o.default ? `, default ${o.default}` : ''}`,
  );
  return `Usage: electric-sync operator [options]\n\nRuns the Kubernetes controller for ElectricSync resources (group electric-sync.dev).\n\nOptions:\n${lines.join('\n')}\n`;
}

/** "15s", "10m", "1h", "500ms" or plain milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

function parseBool(text: string): boolean | undefined {
  return ({ true: true, '1': true, yes: true, false: false, '0': false, no: false } as Record<string, boolean>)[text.trim().toLowerCase()];
}

export type ParsedConfig = { readonly ok: true; readonly config: OperatorConfig } | { readonly ok: false; readonly problems: string[] };

export function parseOperatorConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): ParsedConfig {
  let flags: Record<string, string | undefined>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.keys(options).map((name) => [name, { type: 'string' as const }])),
      allowPositionals: false,
      strict: true,
    });
    flags = parsed.values as Record<string, string | undefined>;
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  const problems: string[] = [];
  const raw = (name: OptionName): string => flags[name] ?? env[options[name].env] ?? options[name].default;
  const duration = (name: OptionName): number => {
    const value = parseDuration(raw(name));
    if (value === undefined || value <= 0) problems.push(`--${name} (${options[name].env}): "${raw(name)}" is not a duration such as 15s or 10m`);
    return value ?? 1;
  };
  const bool = (name: OptionName): boolean => {
    const value = parseBool(raw(name));
    if (value === undefined) problems.push(`--${name} (${options[name].env}): "${raw(name)}" is not true or false`);
    return value ?? false;
  };

  const namespacesText = raw('namespaces').trim();
  const namespaces = namespacesText.split(',').map((ns) => ns.trim()).filter(Boolean);
  const scope: WatchScope = namespacesText === '*' || namespacesText === '' ? { kind: 'all' } : { kind: 'namespaces', namespaces };
  for (const ns of namespaces) {
    if (ns !== '*' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) problems.push(`--namespaces: "${ns}" is not a namespace name`);
  }

  const address = raw('http-address');
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--http-address: "${address}" is not host:port`);
  const workers = Number(raw('workers'));
  if (!Number.isInteger(workers) || workers < 1) problems.push(`--workers: "${raw('workers')}" is not a positive integer`);
  const logLevel = raw('log-level') as OperatorConfig['logLevel'];
  if (!['error', 'warning', 'info', 'debug'].includes(logLevel)) problems.push(`--log-level: "${logLevel}" is not error, warning, info or debug`);

  const config: OperatorConfig = {
    kubeconfig: raw('kubeconfig') || undefined,
    scope,
    leaderElection: {
      enabled: bool('leader-elect'),
      namespace: raw('leader-election-namespace') || env.POD_NAMESPACE || 'default',
      name: raw('leader-election-id'),
      identity: raw('identity') || env.POD_NAME || `${hostname()}-${randomBytes(4).toString('hex')}`,
      leaseDurationMs: duration('lease-duration'),
      renewDeadlineMs: duration('renew-deadline'),
      retryPeriodMs: duration('retry-period'),
    },
    clusterDomain: raw('cluster-domain').replace(/^\.+|\.+$/g, ''),
    runtimeImage: raw('runtime-image'),
    http: { host: address.slice(0, colon) || '0.0.0.0', port },
    workers,
    resyncPeriodMs: duration('resync-period'),
    relistIntervalMs: duration('relist-interval'),
    watchdogMs: duration('watch-watchdog'),
    databaseProbe: bool('database-probe'),
    logLevel,
  };
  const le = config.leaderElection;
  if (problems.length === 0 && le.enabled && !(le.retryPeriodMs < le.renewDeadlineMs && le.renewDeadlineMs < le.leaseDurationMs)) {
    problems.push('leader election needs retry-period < renew-deadline < lease-duration');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
