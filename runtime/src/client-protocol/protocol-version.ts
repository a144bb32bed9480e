// The version of our Satellite schema (runtime/proto/satellite.proto), guarded by protocol-version.test.ts: the test
// fingerprints the schema and fails when the fingerprint is not the one of the newest history line. So a schema
// change cannot land without bumping PROTOCOL_VERSION and saying what changed.
//
// This is not the WebSocket sub-protocol (`electric.0.12`), which the published client chooses: it numbers *our*
// schema, so a change to the wire contract is a deliberate, reviewed act. Comments and blank lines in the .proto do
// not change the fingerprint; every other character does (see fingerprintSchema).
//
// To change the schema: edit satellite.proto, run runtime/proto/generate.sh, run the test; it prints the new
// fingerprint. Add a line at the end of PROTOCOL_HISTORY with the next version, the date, that fingerprint and what
// changed, and set PROTOCOL_VERSION to it. Never edit an existing line.
import { createHash } from 'node:crypto';

export interface ProtocolHistoryEntry {
  readonly version: number;
  /** YYYY-MM-DD. */
  readonly date: string;
  /** fingerprintSchema() of satellite.proto at this version. */
  readonly fingerprint: string;
  readonly change: string;
}

export const PROTOCOL_HISTORY: readonly ProtocolHistoryEntry[] = [
  {
    version: 1,
    date: '2026-11-26',
    fingerprint: '0569912c73e50972420423dc9b53152c07d1a2609c43ddb2857b5c368f057fd0',
    change:
      'Satellite schema of Electric 0.12.1 (package Electric.Satellite): same messages, fields, numbers and enum ' +
      'values as its protocol/satellite.proto at e0365c6c, checked descriptor by descriptor.',
  },
];

export const PROTOCOL_VERSION = 1;

/**
 * SHA-256 (hex) of the schema text with comments removed and whitespace normalised: runs of whitespace become one
 * space, and whitespace next to punctuation is dropped. String literals are kept as they are.
 */
export function fingerprintSchema(source: string): string {
  return createHash('sha256').update(normalizeSchema(source)).digest('hex');
}

const PUNCTUATION = new Set(['{', '}', '(', ')', '[', ']', '<', '>', ';', ',', '=', ':']);

/** The token stream the fingerprint is taken of; exported for the test. */
export function normalizeSchema(source: string): string {
  let out = '';
  let pendingSpace = false;
  let i = 0;
  const emit = (text: string) => {
    const first = text[0]!;
    const last = out[out.length - 1];
    if (pendingSpace && out.length > 0 && !PUNCTUATION.has(first) && !(last !== undefined && PUNCTUATION.has(last))) {
      out += ' ';
    }
    pendingSpace = false;
    out += text;
  };
  while (i < source.length) {
    const char = source[i]!;
    if (char === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      pendingSpace = true;
    } else if (char === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
      pendingSpace = true;
    } else if (char === '"' || char === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== char) j += source[j] === '\\' ? 2 : 1;
      emit(source.slice(i, j + 1));
      i = j + 1;
    } else if (/\s/.test(char)) {
      pendingSpace = true;
      i++;
    } else {
      emit(char);
      i++;
    }
  }
  return out;
}
