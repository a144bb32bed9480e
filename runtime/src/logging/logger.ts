// A small leveled logger: one line per event, `time level [component] message key=value …`, to stderr.
// Passed explicitly (never a global), so tests and components can have their own.
import type { LogLevel } from '../config/schema.ts';

export type Severity = 'error' | 'warning' | 'info' | 'debug';

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** A logger for a part of the process, e.g. `child('http')`. */
  child(component: string): Logger;
}

export type LogFields = Readonly<Record<string, unknown>>;

const rank: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, debug: 3 };

/** Electric accepts syslog-style level names; they fold into our four severities. */
export function severityOf(level: LogLevel): Severity {
  switch (level) {
    case 'emergency':
    case 'alert':
    case 'critical':
    case 'error':
      return 'error';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'notice':
    case 'info':
      return 'info';
    case 'debug':
      return 'debug';
  }
}

export function createLogger(
  options: { level: Severity; component?: string; write?: (line: string) => void } = { level: 'info' },
): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const threshold = rank[options.level];
  const log = (severity: Severity, message: string, fields?: LogFields) => {
    if (rank[severity] > threshold) return;
    const component = options.component ? ` [${options.component}]` : '';
    write(`${new Date().toISOString()} ${severity.padEnd(7)}${component} ${message}${formatFields(fields)}`);
  };
  return {
    error: (message, fields) => log('error', message, fields),
    warn: (message, fields) => log('warning', message, fields),
    info: (message, fields) => log('info', message, fields),
    debug: (message, fields) => log('debug', message, fields),
    child: (component) =>
      createLogger({ ...options, component: options.component ? `${options.component}.${component}` : component, write }),
  };
}

function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value, bigintSafe);
    out += ` ${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  }
  return out;
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
