// Turns a client's SatSubsReq into validated shape plans: tables that exist and are synced, where clauses parsed
// against their columns, include trees that follow real foreign keys. Refusals use the protocol's codes, per shape
// request, as Electric reports them inside SatSubsResp.err.
import type { SatShapeDef_Select, SatShapeReq } from '../client-protocol/index.ts';
import type { TableMetadata } from '../migrations/index.ts';
import type { SchemaCatalog, SyncedTable } from './schema-catalog.ts';
import { isShapeError, parseWhereClause, type ParsedWhere, type WhereColumn } from './shapes/index.ts';

export const shapeRequestErrorCodes = [
  'TABLE_NOT_FOUND',
  'REFERENTIAL_INTEGRITY_VIOLATION',
  'EMPTY_SHAPE_DEFINITION',
  'DUPLICATE_TABLE_IN_SHAPE_DEFINITION',
  'INVALID_WHERE_CLAUSE',
  'INVALID_INCLUDE_TREE',
] as const;
export type ShapeRequestErrorCode = (typeof shapeRequestErrorCodes)[number];

export interface ShapeRequestError {
  readonly requestId: string;
  readonly code: ShapeRequestErrorCode;
  readonly message: string;
}

/** One table of a shape, with the rows it selects, and the tables included through foreign keys. */
export interface ShapeNode {
  readonly table: SyncedTable;
  readonly where: ParsedWhere | null;
  readonly includes: readonly IncludedShape[];
}

/**
 * `childColumns` of `child.table` reference `parentColumns` of the parent (one-to-many: the parent's rows pull in the
 * children that point at them), or the reverse (`direction: 'many-to-one'`: the parent's rows point at the included
 * rows).
 */
export interface IncludedShape {
  readonly direction: 'one-to-many' | 'many-to-one';
  /** Columns of the including (parent) table that the join uses. */
  readonly parentColumns: readonly string[];
  /** Columns of the included table that the join uses. */
  readonly childColumns: readonly string[];
  readonly shape: ShapeNode;
}

export interface ShapeRequestPlan {
  readonly requestId: string;
  readonly root: ShapeNode;
}

export type PlannedShapes = { readonly ok: true; readonly plans: readonly ShapeRequestPlan[] } | { readonly ok: false; readonly errors: readonly ShapeRequestError[] };

export function planShapeRequests(requests: readonly SatShapeReq[], catalog: SchemaCatalog): PlannedShapes {
  const plans: ShapeRequestPlan[] = [];
  const errors: ShapeRequestError[] = [];
  for (const request of requests) {
    const selects = request.shapeDefinition?.selects ?? [];
    if (selects.length === 0) {
      errors.push({ requestId: request.requestId, code: 'EMPTY_SHAPE_DEFINITION', message: 'the shape selects no table: give it a tablename' });
      continue;
    }
    for (const select of selects) {
      const planned = planNode(select, catalog, new Set());
      if ('code' in planned) errors.push({ requestId: request.requestId, ...planned });
      else plans.push({ requestId: request.requestId, root: planned });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, plans };
}

type NodeError = { code: ShapeRequestErrorCode; message: string };

function planNode(select: SatShapeDef_Select, catalog: SchemaCatalog, seen: Set<string>): ShapeNode | NodeError {
  const name = select.tablename.replace(/^public\./, '').replace(/^"(.*)"$/, '$1');
  const table = catalog.table(name);
  if (!table) {
    return { code: 'TABLE_NOT_FOUND', message: `table "${select.tablename}" is not electrified: run CALL electric.electrify('${name}') in PostgreSQL first` };
  }
  if (seen.has(name)) {
    return { code: 'DUPLICATE_TABLE_IN_SHAPE_DEFINITION', message: `table "${name}" appears twice in one shape: include each table once` };
  }
  seen.add(name);

  let where: ParsedWhere | null;
  try {
    where = parseWhereClause(select.where, whereColumns(table));
  } catch (error) {
    if (isShapeError(error)) return { code: 'INVALID_WHERE_CLAUSE', message: error.message };
    throw error;
  }

  const includes: IncludedShape[] = [];
  for (const relation of select.include) {
    if (!relation.select) return { code: 'INVALID_INCLUDE_TREE', message: `an include of "${name}" has no select: name the table to include` };
    const child = planNode(relation.select, catalog, seen);
    if ('code' in child) return child;
    const join = findJoin(table.metadata, child.table.metadata, relation.foreignKey);
    if (!join) {
      return {
        code: 'INVALID_INCLUDE_TREE',
        message: `no foreign key (${relation.foreignKey.join(', ')}) links "${name}" and "${child.table.metadata.name}": include tables along a foreign key`,
      };
    }
    includes.push({ ...join, shape: child });
  }
  return { table, where, includes };
}

function findJoin(
  parent: TableMetadata,
  child: TableMetadata,
  foreignKey: readonly string[],
): Omit<IncludedShape, 'shape'> | undefined {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const childToParent = child.foreignKeys.find((fk) => fk.referencedTable === parent.name && same(fk.columns, foreignKey));
  if (childToParent) return { direction: 'one-to-many', parentColumns: childToParent.referencedColumns, childColumns: childToParent.columns };
  const parentToChild = parent.foreignKeys.find((fk) => fk.referencedTable === child.name && same(fk.columns, foreignKey));
  if (parentToChild) return { direction: 'many-to-one', parentColumns: parentToChild.columns, childColumns: parentToChild.referencedColumns };
  return undefined;
}

export function whereColumns(table: SyncedTable): WhereColumn[] {
  return table.rowColumns.map((column) => ({ name: column.name, pgType: column.type, ...(column.enumValues ? { enumValues: column.enumValues } : {}) }));
}

/** Every table a plan touches, each with the nodes that select it. */
export function tablesOf(node: ShapeNode): ShapeNode[] {
  return [node, ...node.includes.flatMap((include) => tablesOf(include.shape))];
}
