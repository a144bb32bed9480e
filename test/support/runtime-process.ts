// Test support: runs `electric-sync runtime` as a real child process, the way users run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../../local-postgres/index.ts';

const bin = fileURLToPath(new URL('../../bin/electric-sync.js', import.meta.url));

export interface RuntimeProcess {
  readonly httpPort: number;
  readonly baseUrl: string;
  readonly child: ChildProcess;
  output(): string;
  /** GET /api/status: status code and body. */
  status(): Promise<{ code: number; body: string }>;
  /** Polls /api/status until it answers `code`; fails with the last answer and the process output. */
  waitForStatus(code: number, timeoutMs?: number): Promise<string>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

interface HasAfter {
  after(fn: () => unknown): void;
}

export async function startRuntimeProcess(context: HasAfter, env: Record<string, string>): Promise<RuntimeProcess> {
  const httpPort = await findFreePort();
  const child = spawn(process.execPath, [bin, 'runtime'], {
    env: { PATH: process.env.PATH ?? '', HTTP_PORT: String(httpPort), ELECTRIC_USE_IPV6: 'false', ELECTRIC_TELEMETRY: 'disabled', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  context.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const baseUrl = `http://127.0.0.1:${httpPort}`;

  const status = async () => {
    const response = await fetch(`${baseUrl}/api/status`);
    return { code: response.status, body: await response.text() };
  };

  return {
    httpPort,
    baseUrl,
    child,
    output: () => output,
    status,
    async waitForStatus(code, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer';
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`the runtime exited with ${child.exitCode}:\n${output}`);
        try {
          const answer = await status();
          last = `${answer.code} ${answer.body}`;
          if (answer.code === code) return answer.body;
        } catch (error) {
          last = String(error);
        }
        await sleep(100);
      }
      throw new Error(`/api/status never answered ${code}; last: ${last}\n--- runtime output ---\n${output}`);
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
