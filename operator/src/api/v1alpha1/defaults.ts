// The CRD's defaults applied in code, the way the API server applies them (structural defaulting: a field's default
// is set when the field is absent and its parent object is present; defaults then recurse into the new value). The
// defaults come from the generated schema itself, so the two cannot drift. The API server already defaults what it
// serves; this is for fixtures, tests and tools that build resources outside a cluster.
import { electricSyncSpecSchema, type JsonSchema } from './crd-schema.ts';
import type { ElectricSyncSpec } from './types.ts';

let specSchema: JsonSchema | undefined;

function applySchemaDefaults(value: unknown, schema: JsonSchema): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, child] of Object.entries(properties)) {
    if (out[name] === undefined && child.default !== undefined) out[name] = structuredClone(child.default);
    if (out[name] !== undefined) out[name] = applySchemaDefaults(out[name], child);
  }
  return out;
}

/** A spec with every CRD default filled in. */
export function withDefaults(spec: Partial<ElectricSyncSpec> & Pick<ElectricSyncSpec, 'database'>): ElectricSyncSpec {
  specSchema ??= electricSyncSpecSchema();
  return applySchemaDefaults(spec, specSchema) as ElectricSyncSpec;
}
