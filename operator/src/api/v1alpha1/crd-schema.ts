// The ElectricSync OpenAPI v3 schema. The runtime settings are generated from the runtime's configuration schema
// (types, enums, bounds, defaults, descriptions, and its cross-variable rules turned into CEL) and placed into the
// Kubernetes-only parts (crd-kubernetes-fields.ts); the status is in crd-status.ts. Pure: no I/O.
import {
  runtimeConfigSchema,
  variables,
  type VariableName,
  type VariableSchema,
} from '../../../../runtime/src/config/schema.ts';
import { specSkeleton } from './crd-kubernetes-fields.ts';
import { electricSyncStatusSchema } from './crd-status.ts';
import { runtimeSettings, settingEntries, type SettingSource } from './runtime-settings.ts';
import { formatSize, sizePattern } from './size.ts';

export type JsonSchema = { [key: string]: unknown };

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

/** Longest ElectricSync name: Services are named `<name>` and `<name>-publisher`, and must be DNS-1035 labels. */
export const maxNameLength = 53;

function describe(name: VariableName, schema: VariableSchema): string {
  const text = schema.description.endsWith('.') ? schema.description : `${schema.description}.`;
  return `${text} Sets the runtime's ${name}.`;
}

function isSecureOnly(schema: VariableSchema): boolean {
  return schema['x-secure-only'] === true;
}

/** The CRD schema of one spec field, generated from its runtime variable. */
export function fieldSchema(name: VariableName, setting: Extract<SettingSource, { from: 'field' }>): JsonSchema {
  const v = variables[name] as VariableSchema;
  const withDefault = setting.default !== 'none' && !isSecureOnly(v) && v.default !== undefined;
  const description = describe(name, v);
  switch (v['x-env-format']) {
    case 'size':
      return {
        'x-kubernetes-int-or-string': true,
        maxLength: 24,
        description: `${description} An integer number of bytes, or a string such as 2G or 512M.`,
        ...(withDefault ? { default: formatSize(v.default as number) } : {}),
        'x-kubernetes-validations': [
          {
            rule: `type(self) == int ? self >= ${v.minimum ?? 0} : self.matches('${sizePattern}')`,
            message: v['x-fix'],
          },
        ] satisfies CelRule[],
      };
    case 'proxy-port':
      return {
        'x-kubernetes-int-or-string': true,
        maxLength: 16,
        description,
        ...(withDefault ? { default: v.default } : {}),
        'x-kubernetes-validations': [
          {
            rule: `type(self) == int ? self >= 1 && self <= 65535 : self.matches('${v.pattern ?? '.*'}')`,
            message: v['x-fix'],
          },
        ] satisfies CelRule[],
      };
    case 'telemetry':
    case 'boolean':
      return { type: 'boolean', description, ...(withDefault ? { default: v.default } : {}) };
    case 'integer':
    case 'string': {
      const out: JsonSchema = { type: v.type, description };
      if (v.enum) out.enum = [...v.enum];
      if (v.minimum !== undefined) out.minimum = v.minimum;
      if (v.maximum !== undefined) out.maximum = v.maximum;
      if (v.minLength !== undefined) out.minLength = v.minLength;
      if (v.pattern !== undefined) out.pattern = v.pattern;
      if (withDefault) out.default = v.default;
      return out;
    }
  }
}

export function secretRefSchema(name: VariableName, defaultKey: string): JsonSchema {
  const v = variables[name] as VariableSchema;
  return {
    type: 'object',
    description: `A key of a Secret in this namespace holding the runtime's ${name}: ${v.description}`,
    required: ['name'],
    'x-kubernetes-map-type': 'atomic',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 253, description: 'Name of the Secret.' },
      key: { type: 'string', minLength: 1, default: defaultKey, pattern: '^[-._a-zA-Z0-9]+$', description: 'Key in the Secret.' },
    },
  };
}

function objectAt(root: JsonSchema, path: readonly string[]): JsonSchema {
  let node = root;
  for (const step of path) {
    const next = (node.properties as Record<string, JsonSchema> | undefined)?.[step];
    if (!next) throw new Error(`spec schema: no object "${step}" on the way to ${path.join('.')}; declare it in specSkeleton`);
    node = next;
  }
  return node;
}

function insert(root: JsonSchema, path: readonly string[], leaf: JsonSchema): void {
  const parent = objectAt(root, path.slice(0, -1));
  const properties = parent.properties as Record<string, JsonSchema>;
  properties[path.at(-1) as string] = leaf;
}

function pathOf(name: string): readonly string[] {
  const setting = (runtimeSettings as Record<string, SettingSource>)[name];
  if (!setting || setting.from === 'operator') throw new Error(`no spec path for runtime variable ${name}`);
  return setting.path;
}

function addRule(root: JsonSchema, path: readonly string[], rule: CelRule): void {
  const node = objectAt(root, path);
  node['x-kubernetes-validations'] = [...((node['x-kubernetes-validations'] as CelRule[] | undefined) ?? []), rule];
}

/** `has(self.a) && has(self.a.b)` for a path relative to the rule's object. */
function hasPath(relative: readonly string[]): string {
  return relative.map((_, i) => `has(self.${relative.slice(0, i + 1).join('.')})`).join(' && ');
}

/**
 * The runtime schema's cross-variable rules (`allOf` of if/then) as CEL on the object that holds the variables. Two
 * shapes are understood: "if X = c then Y is required" and "if X = c then none of Ys may be set". Requirements met by
 * the operator itself (LOGICAL_PUBLISHER_HOST) are dropped. Any other shape throws, so a new rule is not silently lost.
 */
export function crossVariableRules(): { path: readonly string[]; rule: CelRule }[] {
  const out: { path: readonly string[]; rule: CelRule }[] = [];
  for (const clause of runtimeConfigSchema.allOf as readonly { if: JsonSchema; then: JsonSchema }[]) {
    const ifProps = Object.entries(clause.if.properties as Record<string, { const: string }>);
    if (ifProps.length !== 1) throw new Error('unsupported runtime rule: the "if" must test exactly one variable');
    const [condName, { const: condValue }] = ifProps[0] as [string, { const: string }];
    const condPath = pathOf(condName);
    const parent = condPath.slice(0, -1);
    const relative = (name: string) => {
      const path = pathOf(name);
      if (path.slice(0, parent.length).join('.') !== parent.join('.')) {
        throw new Error(`runtime rule on ${condName} involves ${name}, which lives elsewhere in the spec`);
      }
      return path.slice(parent.length);
    };
    const condField = condPath.at(-1) as string;
    const specName = (path: readonly string[]) => `spec.${[...parent, ...path].join('.')}`;
    const required = clause.then.required as string[] | undefined;
    const forbidden = ((clause.then.not as JsonSchema | undefined)?.anyOf as { required: string[] }[] | undefined)?.flatMap(
      (entry) => entry.required,
    );
    if (required) {
      for (const name of required) {
        if ((runtimeSettings as Record<string, SettingSource>)[name]?.from === 'operator') continue;
        const rel = relative(name);
        out.push({
          path: parent,
          rule: {
            rule: `self.${condField} != '${condValue}' || (${hasPath(rel)})`,
            message: `${specName([condField])} is ${condValue}, which needs ${specName(rel)} (the runtime's ${name})`,
            fieldPath: `.${rel.join('.')}`,
            reason: 'FieldValueRequired',
          },
        });
      }
    } else if (forbidden) {
      const rels = forbidden.map(relative);
      out.push({
        path: parent,
        rule: {
          rule: `self.${condField} != '${condValue}' || !(${rels.map((rel) => `(${hasPath(rel)})`).join(' || ')})`,
          message: `${specName([condField])} is ${condValue}, so these must not be set: ${rels.map(specName).join(', ')}`,
          reason: 'FieldValueForbidden',
        },
      });
    } else {
      throw new Error(`unsupported runtime rule "then": ${JSON.stringify(clause.then)}`);
    }
  }
  return out;
}

export function electricSyncSpecSchema(): JsonSchema {
  const spec = specSkeleton();
  for (const [name, setting] of settingEntries) {
    if (setting.from === 'field') insert(spec, setting.path, fieldSchema(name, setting));
    else if (setting.from === 'secret') insert(spec, setting.path, secretRefSchema(name, setting.defaultKey));
  }
  for (const { path, rule } of crossVariableRules()) addRule(spec, path, rule);
  return spec;
}

export function electricSyncOpenApiSchema(): JsonSchema {
  return {
    type: 'object',
    description:
      'ElectricSync runs one electric-sync runtime against a PostgreSQL database: Postgres ⇄ local-first sync.',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: maxNameLength } } },
      spec: electricSyncSpecSchema(),
      status: electricSyncStatusSchema(),
    },
    'x-kubernetes-validations': [
      {
        rule: "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message:
          "metadata.name must start with a letter and hold only lower-case letters, digits and '-' (at most " +
          `${maxNameLength} characters): the operator names Services after it`,
        fieldPath: '.metadata.name',
      },
    ] satisfies CelRule[],
  };
}
