import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROTOCOL_HISTORY, PROTOCOL_VERSION, fingerprintSchema, normalizeSchema } from './protocol-version.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const protoDir = join(repoRoot, 'runtime/proto');
const schemaPath = join(protoDir, 'satellite.proto');
const generatedPath = join(import.meta.dirname, 'gen/satellite_pb.ts');

describe('PROTOCOL_VERSION', () => {
  test('matches the fingerprint of runtime/proto/satellite.proto', () => {
    const fingerprint = fingerprintSchema(readFileSync(schemaPath, 'utf8'));
    const current = PROTOCOL_HISTORY.find((entry) => entry.version === PROTOCOL_VERSION);
    assert.ok(current !== undefined, `PROTOCOL_HISTORY has no line for PROTOCOL_VERSION ${PROTOCOL_VERSION}`);
    assert.equal(
      fingerprint,
      current.fingerprint,
      'satellite.proto changed. If that was intended, add a line to PROTOCOL_HISTORY in protocol-version.ts with ' +
        `version ${PROTOCOL_VERSION + 1}, today's date, fingerprint '${fingerprint}' and what changed, and set ` +
        `PROTOCOL_VERSION = ${PROTOCOL_VERSION + 1}. Never edit an existing line.`,
    );
  });

  test('is the newest line of a history numbered 1, 2, 3, … with distinct fingerprints', () => {
    assert.deepEqual(
      PROTOCOL_HISTORY.map((entry) => entry.version),
      PROTOCOL_HISTORY.map((_, i) => i + 1),
    );
    assert.equal(PROTOCOL_HISTORY.at(-1)?.version, PROTOCOL_VERSION);
    assert.equal(new Set(PROTOCOL_HISTORY.map((entry) => entry.fingerprint)).size, PROTOCOL_HISTORY.length);
    for (const entry of PROTOCOL_HISTORY) {
      assert.match(entry.date, /^\d{4}-\d\d-\d\d$/);
      assert.match(entry.fingerprint, /^[0-9a-f]{64}$/);
      assert.ok(entry.change.length > 0);
    }
  });
});

describe('fingerprintSchema', () => {
  const base = 'syntax = "proto3";\npackage Electric.Satellite;\nmessage A {\n  string x = 1; // the x\n}\n';

  test('ignores comments, blank lines and spacing', () => {
    const reformatted =
      '// header\nsyntax="proto3";   package Electric.Satellite;\n\n/* block\n comment */ message A{string x=1;}';
    assert.equal(fingerprintSchema(reformatted), fingerprintSchema(base));
    assert.equal(normalizeSchema(base), 'syntax="proto3";package Electric.Satellite;message A{string x=1;}');
  });

  const changes: [string, string][] = [
    ['a field number', base.replace('= 1', '= 2')],
    ['a field name', base.replace(' x ', ' y ')],
    ['a field type', base.replace('string', 'bytes')],
    ['a label', base.replace('string x', 'repeated string x')],
    ['the package', base.replace('Satellite', 'Satellite2')],
    ['a new field', base.replace('}', '  int32 y = 2;\n}')],
    ['words that were separate becoming one', base.replace('string x', 'stringx')],
  ];
  for (const [what, changed] of changes) {
    test(`changes with ${what}`, () => {
      assert.notEqual(fingerprintSchema(changed), fingerprintSchema(base));
    });
  }

  test('keeps comment markers inside string literals', () => {
    assert.notEqual(fingerprintSchema('option x = "a//b";'), fingerprintSchema('option x = "a";'));
  });
});

describe('generated code', () => {
  const buf = join(repoRoot, 'node_modules/.bin/buf');
  const plugin = join(repoRoot, 'node_modules/.bin/protoc-gen-es');

  const skip = !existsSync(buf) && 'buf is not installed';
  test('gen/satellite_pb.ts is what runtime/proto/generate.sh makes of satellite.proto today', { skip }, () => {
    const out = mkdtempSync(join(tmpdir(), 'satellite-gen-'));
    try {
      // The options of buf.gen.yaml, with the output redirected to a scratch directory.
      const config = readFileSync(join(protoDir, 'buf.gen.yaml'), 'utf8');
      const options = [...config.matchAll(/^\s+- (\w+=[\w+]+)$/gm)].map((match) => match[1]);
      assert.deepEqual(options, ['target=ts', 'import_extension=ts', 'erasable_syntax=true']);
      const template = JSON.stringify({ version: 'v2', plugins: [{ local: plugin, out, opt: options }] });
      execFileSync(buf, ['generate', '--template', template], { cwd: protoDir, stdio: 'pipe' });
      assert.equal(
        readFileSync(join(out, 'satellite_pb.ts'), 'utf8'),
        readFileSync(generatedPath, 'utf8'),
        'gen/ is stale: run runtime/proto/generate.sh',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('contains no TypeScript enum (Node type stripping and erasableSyntaxOnly)', () => {
    assert.doesNotMatch(readFileSync(generatedPath, 'utf8'), /^\s*export (const )?enum /m);
  });
});
