// Turns raw environment strings into typed values, one function per `x-env-format` of schema.ts. Each returns the
// value, or a problem description (without the variable name: the caller adds it).
import { telemetryOffValues, telemetryOnValues, type EnvFormat } from './schema.ts';

export type Coerced = { readonly ok: true; readonly value: string | number | boolean } | { readonly ok: false; readonly problem: string };

const booleanValues: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false };

export function parseBoolean(raw: string): Coerced {
  const value = booleanValues[raw.trim().toLowerCase()];
  return value === undefined ? { ok: false, problem: 'is not a boolean (use true or false)' } : { ok: true, value };
}

export function parseInteger(raw: string): Coerced {
  const trimmed = raw.trim();
  return /^-?[0-9]+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))
    ? { ok: true, value: Number(trimmed) }
    : { ok: false, problem: 'is not an integer' };
}

const sizeMultipliers: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
};

/** Electric's size format: a whole number of bytes with an optional suffix k/m/g (powers of 1000) or K/M/G (1024). */
export function parseSize(raw: string): Coerced {
  const match = /^([0-9]+)([kmgKMG]?)$/.exec(raw.trim());
  const multiplier = match ? sizeMultipliers[match[2] ?? ''] : undefined;
  if (!match || multiplier === undefined) {
    return { ok: false, problem: 'is not a size: use a whole number of bytes with an optional suffix k, m, g, K, M or G' };
  }
  const value = Number(match[1]) * multiplier;
  return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, problem: 'is too large' };
}

export function parseTelemetry(raw: string): Coerced {
  const value = raw.trim().toLowerCase();
  if ((telemetryOnValues as readonly string[]).includes(value)) return { ok: true, value: true };
  if ((telemetryOffValues as readonly string[]).includes(value)) return { ok: true, value: false };
  return {
    ok: false,
    problem: `is not a telemetry switch (on: ${telemetryOnValues.join(', ')}; off: ${telemetryOffValues.join(', ')})`,
  };
}

export function coerceEnvValue(format: EnvFormat, raw: string): Coerced {
  switch (format) {
    case 'boolean':
      return parseBoolean(raw);
    case 'integer':
      return parseInteger(raw);
    case 'size':
      return parseSize(raw);
    case 'telemetry':
      return parseTelemetry(raw);
    case 'string':
    case 'proxy-port':
      return { ok: true, value: raw };
  }
}

export interface ProxyPort {
  readonly port: number;
  /** Also accept the proxy tunnelled over WebSocket at /proxy. */
  readonly httpTunnel: boolean;
}

/** `65432`, `http` (the default port, with the WebSocket tunnel) or `http:<port>`. Assumes the schema's pattern held. */
export function parseProxyPort(value: string, defaultPort = 65432): ProxyPort {
  if (value === 'http') return { port: defaultPort, httpTunnel: true };
  if (value.startsWith('http:')) return { port: Number(value.slice(5)), httpTunnel: true };
  return { port: Number(value), httpTunnel: false };
}
