import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { variableNames, variables, type VariableSchema } from '../../../../runtime/src/config/schema.ts';
import { buildElectricSyncCrd, printerColumns, renderChartCrdTemplate } from './crd.ts';
import { crossVariableRules, electricSyncSpecSchema, type JsonSchema } from './crd-schema.ts';
import { staleCrdFiles } from './generate-crd.ts';
import { runtimeSettings, type SettingSource } from './runtime-settings.ts';

const settings = runtimeSettings as Record<string, SettingSource>;

function schemaAt(root: JsonSchema, path: readonly string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const step of path) node = (node?.properties as Record<string, JsonSchema> | undefined)?.[step];
  return node;
}

function walk(node: unknown, visit: (node: JsonSchema, where: string) => void, where = ''): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((item, i) => walk(item, visit, `${where}[${i}]`));
  visit(node as JsonSchema, where);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'default') walk(value, visit, `${where}.${key}`);
  }
}

describe('ElectricSync CRD', () => {
  test('the committed CRD files are what the sources generate', () => {
    assert.deepEqual(
      staleCrdFiles(),
      [],
      'regenerate with `node operator/src/api/v1alpha1/generate-crd.ts` and commit the result',
    );
  });

  test('places every runtime variable: in the spec, as a Secret reference, or computed by the operator', () => {
    assert.deepEqual(variableNames.filter((name) => !settings[name]), []);
  });

  test('gives each spec field its runtime variable’s type, enum, bounds and description', () => {
    const spec = electricSyncSpecSchema();
    for (const name of variableNames) {
      const setting = settings[name] as SettingSource;
      if (setting.from === 'operator') continue;
      const field = schemaAt(spec, setting.path);
      assert.ok(field, `${name} → spec.${setting.path.join('.')} is missing`);
      assert.match(field.description as string, new RegExp(name));
      if (setting.from === 'secret') continue;
      const v = variables[name] as VariableSchema;
      if (v.enum) assert.deepEqual(field.enum, v.enum, name);
      if (v['x-env-format'] === 'integer') {
        assert.equal(field.type, 'integer');
        assert.equal(field.minimum, v.minimum);
        assert.equal(field.maximum, v.maximum);
      }
    }
  });

  test('defaults match the runtime’s, sizes in their short form', () => {
    const spec = electricSyncSpecSchema();
    const at = (...path: string[]) => schemaAt(spec, path)?.default;
    assert.equal(at('httpPort'), 5133);
    assert.equal(at('logicalPublisherPort'), 5433);
    assert.equal(at('writeToPgMode'), 'logical_replication');
    assert.equal(at('auth', 'mode'), 'secure');
    assert.equal(at('logLevel'), 'info');
    assert.equal(at('telemetry'), true);
    assert.equal(at('resumableWalWindow'), '2G');
    assert.equal(at('txnCacheSize'), '256M');
    assert.equal(at('database', 'urlSecretRef', 'key'), 'url');
    assert.equal(at('deletionPolicy'), 'Delete');
  });

  test('sets no default where the runtime computes one, or for secure-only settings', () => {
    const spec = electricSyncSpecSchema();
    assert.equal(schemaAt(spec, ['database', 'requireSsl'])?.default, undefined);
    assert.equal(schemaAt(spec, ['instanceId'])?.default, undefined);
    assert.equal(schemaAt(spec, ['auth', 'jwtKeyIsBase64Encoded'])?.default, undefined);
  });

  test('turns the runtime’s cross-variable rules into CEL on spec.auth', () => {
    const rules = crossVariableRules();
    assert.deepEqual(
      rules.map(({ path, rule }) => [path.join('.'), rule.reason]),
      [
        ['auth', 'FieldValueRequired'],
        ['auth', 'FieldValueRequired'],
        ['auth', 'FieldValueForbidden'],
      ],
    );
    assert.match(rules[1]?.rule.rule ?? '', /self\.mode != 'secure' \|\| \(has\(self\.jwtKeySecretRef\)\)/);
    assert.match(rules[2]?.rule.message ?? '', /jwtAlgorithm, spec\.auth\.jwtKeySecretRef/);
  });

  test('is a structural schema: typed nodes, only x-kubernetes-* extensions', () => {
    const crd = buildElectricSyncCrd() as { spec: { versions: { schema: { openAPIV3Schema: JsonSchema } }[] } };
    const root = crd.spec.versions[0]?.schema.openAPIV3Schema;
    const problems: string[] = [];
    walk(root, (node, where) => {
      for (const key of Object.keys(node)) {
        if (key.startsWith('x-') && !key.startsWith('x-kubernetes-')) problems.push(`${where}: ${key}`);
      }
      if (node.properties && node.type !== 'object') problems.push(`${where}: properties without type object`);
      const intOrString = node['x-kubernetes-int-or-string'] === true;
      if (!node.type && !intOrString && (node.description || node.properties)) problems.push(`${where}: no type`);
    });
    assert.deepEqual(problems, []);
  });

  test('has the status subresource, short name and printer columns Ready, Phase, Publisher, Age', () => {
    const crd = buildElectricSyncCrd() as { spec: Record<string, never> & { names: { shortNames: string[] }; scope: string } };
    const version = (crd.spec as unknown as { versions: Record<string, unknown>[] }).versions[0];
    assert.deepEqual(version?.subresources, { status: {} });
    assert.deepEqual(crd.spec.names.shortNames, ['esync']);
    assert.equal(crd.spec.scope, 'Namespaced');
    assert.deepEqual(
      printerColumns.filter((c) => !('priority' in c)).map((c) => c.name),
      ['Ready', 'Phase', 'Publisher', 'Age'],
    );
  });

  test('wraps the chart copy in crds.create and keeps it on uninstall', () => {
    const text = renderChartCrdTemplate();
    assert.match(text, /^\{\{- if \.Values\.crds\.create \}\}$/m);
    assert.match(text, /helm\.sh\/resource-policy: keep/);
    assert.match(text, /\{\{- end \}\}\n$/);
  });
});
