// Starts a real Kubernetes control plane (etcd + kube-apiserver, optionally kube-controller-manager) on loopback for
// tests, from the multi-call binary that test/kube-control-plane/build.sh builds from Go modules.
//
// Every start gets its own temp dir and free 127.0.0.1 ports, so parallel test files never share state. Process
// output goes to <tempdir>/<name>.log; when startup fails, the error carries the tail of those logs.
//
// Environment:
//   KUBE_CONTROL_PLANE_BIN   use this binary instead of running build.sh
//   KUBE_CONTROL_PLANE_KEEP  when "1", stop() leaves the temp dir (logs, kubeconfig) in place and prints its path
// The launcher sets KUBE_CONTROL_PLANE_PARENT_PID for the processes it starts, so that they die with it even when it
// is SIGKILLed; a later start removes temp dirs whose owner process is gone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KubeControlPlaneOptions {
  /** Also run kube-controller-manager (garbage collection, Deployment→ReplicaSet→Pod, namespace deletion, ...). */
  withControllerManager?: boolean;
  /** Extra kube-apiserver flags, appended after the defaults (a repeated scalar flag: the later one wins). */
  apiServerArgs?: string[];
  /** Extra kube-controller-manager flags, appended after the defaults. */
  controllerManagerArgs?: string[];
  /** Overall startup timeout in ms, not counting the build (default 120000). */
  startupTimeoutMs?: number;
}

export interface KubeControlPlane {
  /** Kubeconfig with the admin (system:masters) token and the apiserver's CA embedded. */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Bearer token of the admin user in group system:masters. */
  token: string;
  /** PEM of the apiserver's self-signed serving certificate chain (trust it as CA). */
  caPem: string;
  /** Temp dir holding logs, certs, data; removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildScript = join(repoRoot, 'test', 'kube-control-plane', 'build.sh');

/** A free TCP port on 127.0.0.1 (the kernel picks it; there is a short window before our server binds it). */
export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolvePort(port) : reject(new Error('could not get a free port'))));
    });
  });
}

let binaryPromise: Promise<string> | undefined;

/** Path of the kube-control-plane binary, building it (once per process; cached on disk by build.sh) if needed. */
export function kubeControlPlaneBinary(): Promise<string> {
  const fromEnv = process.env['KUBE_CONTROL_PLANE_BIN'];
  if (fromEnv) return Promise.resolve(fromEnv);
  binaryPromise ??= new Promise<string>((resolveBin, reject) => {
    // stderr (progress) goes straight to ours: a cold build takes many minutes and should not look like a hang.
    const child = spawn('bash', [buildScript], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const bin = out.trim().split('\n').pop() ?? '';
      if (code === 0 && bin && existsSync(bin)) resolveBin(bin);
      else reject(new Error(`${buildScript} failed (${signal ?? `exit ${code}`})\n${out}`));
    });
  });
  binaryPromise.catch(() => (binaryPromise = undefined));
  return binaryPromise;
}

// ---- process bookkeeping, so that an interrupted run leaves nothing behind ----

const dirPrefix = 'kube-control-plane-';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp dirs left by runs that were SIGKILLed (their processes died with them, see main.go's parent-death
 * signal, but a killed process cannot remove its dir). Only dirs whose owner.pid names a dead process are touched.
 */
function sweepStaleDirs(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(dirPrefix));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    try {
      const pid = Number.parseInt(readFileSync(join(dir, 'owner.pid'), 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && !pidAlive(pid)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // no owner.pid (yet), or already removed: leave it
    }
  }
}

interface Managed {
  name: string;
  child: ChildProcess;
  logPath: string;
  exited: Promise<void>;
}

const live = new Set<{ procs: Managed[]; dir: string; keep: boolean }>();
let handlersInstalled = false;

function cleanupAllSync(): void {
  for (const cp of live) {
    for (const p of cp.procs) {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        try {
          p.child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (!cp.keep) rmSync(cp.dir, { recursive: true, force: true });
  }
  live.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanupAllSync();
      // Keep the default outcome of the signal (die with it) now that our children are gone.
      process.kill(process.pid, signal);
    });
  }
}

function startProcess(dir: string, name: string, bin: string, args: string[]): Managed {
  const logPath = join(dir, `${name}.log`);
  const log = createWriteStream(logPath);
  log.write(`$ ${bin} ${args.join(' ')}\n`);
  const child = spawn(bin, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Ask the binary to die with us even if we are SIGKILLed (Linux parent-death signal, see main.go).
    env: { ...process.env, KUBE_CONTROL_PLANE_PARENT_PID: String(process.pid) },
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolveExit) => {
    child.on('error', (err) => {
      log.write(`\n[launcher] spawn error: ${err.message}\n`);
      resolveExit();
    });
    child.on('exit', (code, signal) => {
      log.write(`\n[launcher] ${name} exited (${signal ?? `code ${code}`})\n`);
      resolveExit();
    });
  });
  // Close the log once both pipes are drained.
  let open = 2;
  const done = (): void => {
    if (--open === 0) log.end();
  };
  child.stdout?.on('close', done);
  child.stderr?.on('close', done);
  return { name, child, logPath, exited };
}

function isRunning(p: Managed): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

async function stopProcess(p: Managed, graceMs: number): Promise<void> {
  if (!isRunning(p)) return;
  p.child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([p.exited.then(() => 'exited' as const), timer])) === 'timeout' && isRunning(p)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface HttpResult {
  status: number;
  body: string;
}

/** GET over HTTPS to the loopback apiserver with a bearer token; `ca` undefined means "do not verify". */
function httpsGet(url: string, token: string, ca: string | undefined, timeoutMs = 5000): Promise<HttpResult> {
  return new Promise((resolveGet, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        ...(ca === undefined ? { rejectUnauthorized: false } : { ca }),
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end();
  });
}

function kubeconfigYaml(server: string, caPem: string, token: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    '    user: admin',
    'current-context: test',
    '',
  ].join('\n');
}

/**
 * Starts etcd and kube-apiserver (and kube-controller-manager when asked) on 127.0.0.1 and returns a kubeconfig for
 * them. Call stop() when done; processes are also killed if this Node process exits or is interrupted.
 */
export async function startKubeControlPlane(opts: KubeControlPlaneOptions = {}): Promise<KubeControlPlane> {
  const bin = await kubeControlPlaneBinary();
  const timeoutMs = opts.startupTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  sweepStaleDirs();
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  writeFileSync(join(dir, 'owner.pid'), `${process.pid}\n`);
  const keep = process.env['KUBE_CONTROL_PLANE_KEEP'] === '1';
  const procs: Managed[] = [];
  const entry = { procs, dir, keep };
  installExitHandlers();
  live.add(entry);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      // Reverse start order: controller manager, apiserver, then etcd.
      for (const p of [...procs].reverse()) await stopProcess(p, 10_000);
      live.delete(entry);
      if (keep) console.error(`[kube-control-plane] kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    })());

  const failure = (what: string): Error => {
    const logs = procs.map((p) => `--- ${p.name} (${p.logPath}) ---\n${tail(p.logPath)}`).join('\n');
    return new Error(`kube-control-plane: ${what}\n${logs}`);
  };
  const ensureAlive = (): void => {
    for (const p of procs) if (!isRunning(p)) throw failure(`${p.name} exited during startup`);
  };
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (;;) {
      ensureAlive();
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw failure(`timed out after ${timeoutMs}ms waiting for ${what}`);
      await sleep(200);
    }
  };

  try {
    // ---- etcd: binds port 0 itself and reports the URL it got, so it can never collide ----
    const etcdReady = join(dir, 'etcd.url');
    procs.push(
      startProcess(dir, 'etcd', bin, [
        'etcd',
        `--data-dir=${join(dir, 'etcd-data')}`,
        '--listen-client-url=http://127.0.0.1:0',
        '--listen-peer-url=http://127.0.0.1:0',
        `--ready-file=${etcdReady}`,
        // At warn, etcd logs a "request stats" line for most apiserver requests.
        '--log-level=error',
      ]),
    );
    const etcdUrl = await waitFor('etcd', async () =>
      existsSync(etcdReady) ? (await readFile(etcdReady, 'utf8')).trim() : undefined,
    );

    // ---- credentials ----
    const sa = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const saKey = join(dir, 'sa.key');
    const saPub = join(dir, 'sa.pub');
    writeFileSync(saKey, sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(saPub, sa.publicKey.export({ type: 'spki', format: 'pem' }));
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'tokens.csv');
    // token,user,uid,"group1,group2"
    writeFileSync(tokenFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const certDir = join(dir, 'apiserver-certs');

    // ---- kube-apiserver ----
    // --secure-port cannot be 0 for kube-apiserver, so take a free port (retried if another process grabs it first).
    let server = '';
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      server = `https://127.0.0.1:${port}`;
      const apiserver = startProcess(dir, attempt === 1 ? 'kube-apiserver' : `kube-apiserver-${attempt}`, bin, [
        'kube-apiserver',
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${port}`,
        `--cert-dir=${certDir}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        '--anonymous-auth=false',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        // Only a config value: no traffic is ever sent to this range.
        '--service-cluster-ip-range=10.0.0.0/24',
        // The "kubernetes" Service's Endpoints would point at 127.0.0.1, which validation rejects.
        '--endpoint-reconciler-type=none',
        '--allow-privileged=true',
        '--enable-priority-and-fairness=false',
        '--profiling=false',
        ...(opts.apiServerArgs ?? []),
      ]);
      procs.push(apiserver);
      try {
        await waitFor('kube-apiserver /readyz', async () => {
          const res = await httpsGet(`${server}/readyz`, token, undefined);
          return res.status === 200 ? true : undefined;
        });
        break;
      } catch (err) {
        // Lost the race for the free port to another process: try another one.
        const portTaken = !isRunning(apiserver) && /address already in use/.test(tail(apiserver.logPath, 200));
        if (!portTaken || attempt >= 3) throw err;
        procs.pop();
      }
    }

    // The self-signed chain the apiserver wrote into --cert-dir; its SANs include 127.0.0.1.
    const caPem = await readFile(join(certDir, 'apiserver.crt'), 'utf8');
    const verified = await httpsGet(`${server}/version`, token, caPem);
    if (verified.status !== 200) throw failure(`GET /version with the embedded CA returned ${verified.status}`);

    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigYaml(server, caPem, token), { mode: 0o600 });

    // ---- kube-controller-manager ----
    if (opts.withControllerManager) {
      procs.push(
        startProcess(dir, 'kube-controller-manager', bin, [
          'kube-controller-manager',
          `--kubeconfig=${kubeconfigPath}`,
          '--controllers=*',
          '--use-service-account-credentials=false',
          '--leader-elect=false',
          '--bind-address=127.0.0.1',
          // 0 = no HTTPS endpoint at all; readiness is judged from its effects below.
          '--secure-port=0',
          `--service-account-private-key-file=${saKey}`,
          `--root-ca-file=${join(certDir, 'apiserver.crt')}`,
          '--profiling=false',
          ...(opts.controllerManagerArgs ?? []),
        ]),
      );
      // The serviceaccount controller creates default/default once the controllers are running.
      await waitFor('kube-controller-manager (default ServiceAccount)', async () => {
        const res = await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, token, caPem);
        return res.status === 200 ? true : undefined;
      });
    }

    return { kubeconfigPath, server, token, caPem, dir, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Runs kubectl against a control plane; throws with stderr on failure. For tests. */
export function kubectl(kubeconfigPath: string, args: string[], input?: string): string {
  const res = spawnSync('kubectl', [`--kubeconfig=${kubeconfigPath}`, ...args], {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
    timeout: 60_000,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}
