// Reading a table from the catalog: its structure (to notice later changes), the metadata clients need (the
// `metadata` column of electric.ddl_commands, read by migrations/captured-ddl.ts), and its DDL in Postgres dialect.

import { routineSearchPath } from './constants.ts';

export const catalogSql = `
-- Everything about a table that a later DDL statement could change and that matters for sync. Stored in
-- electric.electrified.structure when captured; the event trigger compares it with the table after each DDL.
CREATE OR REPLACE FUNCTION electric.__table_structure(table_oid oid) RETURNS jsonb
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT jsonb_build_object(
    'oid', c.oid::int8,
    'schema', n.nspname::text,
    'name', c.relname::text,
    'relkind', c.relkind::text,
    'persistence', c.relpersistence::text,
    'replicaIdentity', c.relreplident::text,
    'columns', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'attnum', a.attnum,
               'name', a.attname::text,
               'typeOid', a.atttypid::int8,
               'typmod', a.atttypmod,
               'ndims', a.attndims,
               'typeName', format_type(a.atttypid, a.atttypmod),
               'typeKind', t.typtype::text,
               'enumLabels', CASE WHEN t.typtype = 'e' THEN (
                 SELECT jsonb_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid
               ) END,
               'notNull', a.attnotnull,
               'hasDefault', a.atthasdef,
               'identity', a.attidentity::text,
               'generated', a.attgenerated::text
             ) ORDER BY a.attnum)
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb),
    'constraints', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'oid', k.oid::int8, 'name', k.conname::text, 'type', k.contype::text, 'definition', pg_get_constraintdef(k.oid)
             ) ORDER BY k.conname)
        FROM pg_constraint k
       WHERE k.conrelid = c.oid), '[]'::jsonb),
    'indexes', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'oid', i.indexrelid::int8,
               'name', ic.relname::text,
               'definition', pg_get_indexdef(i.indexrelid),
               -- What the index is, independent of names: renaming a column or the table does not change it.
               'shape', jsonb_build_object(
                 'keys', to_jsonb(i.indkey::int2[]), 'options', to_jsonb(i.indoption::int2[]), 'unique', i.indisunique,
                 'method', am.amname::text, 'expressions', pg_get_expr(i.indexprs, i.indrelid),
                 'predicate', pg_get_expr(i.indpred, i.indrelid)),
               'forConstraint', EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.conindid = i.indexrelid)
             ) ORDER BY ic.relname)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
       WHERE i.indrelid = c.oid), '[]'::jsonb)
  )
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = table_oid
$fn$;

-- Names of a constraint's or index's columns, in key order.
CREATE OR REPLACE FUNCTION electric.__column_names(table_oid oid, attnums int2[]) RETURNS jsonb
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT coalesce(jsonb_agg(a.attname::text ORDER BY u.ord), '[]'::jsonb)
    FROM unnest(attnums) WITH ORDINALITY AS u(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = table_oid AND a.attnum = u.attnum
$fn$;

CREATE OR REPLACE FUNCTION electric.__foreign_key_action(action "char") RETURNS text
LANGUAGE sql IMMUTABLE ${routineSearchPath}
AS $fn$
  SELECT CASE action WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                     WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END
$fn$;

-- The table as clients see it (migrations/captured-ddl.ts CapturedTable): columns up to up_to_attnum (all when
-- NULL), so each of several columns added at once is captured with the table as it was right after it.
CREATE OR REPLACE FUNCTION electric.__captured_table(table_oid oid, up_to_attnum int DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT jsonb_build_object(
    'oid', c.oid::int8,
    'schema', n.nspname::text,
    'name', c.relname::text,
    'columns', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'name', a.attname::text,
               'pgType', t.typname::text,
               'typeSchema', tn.nspname::text,
               'isEnum', t.typtype = 'e',
               'notNull', a.attnotnull
             ) ORDER BY a.attnum)
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        JOIN pg_namespace tn ON tn.oid = t.typnamespace
       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         AND (up_to_attnum IS NULL OR a.attnum <= up_to_attnum)), '[]'::jsonb),
    'primaryKey', (
      SELECT jsonb_build_object('name', k.conname::text, 'columns', electric.__column_names(c.oid, k.conkey))
        FROM pg_constraint k
       WHERE k.conrelid = c.oid AND k.contype = 'p'),
    'foreignKeys', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'name', k.conname::text,
               'columns', electric.__column_names(c.oid, k.conkey),
               'referencedSchema', rn.nspname::text,
               'referencedTable', rc.relname::text,
               'referencedColumns', electric.__column_names(k.confrelid, k.confkey),
               'onDelete', electric.__foreign_key_action(k.confdeltype),
               'onUpdate', electric.__foreign_key_action(k.confupdtype),
               'deferrable', k.condeferrable,
               'initiallyDeferred', k.condeferred
             ) ORDER BY k.conname)
        FROM pg_constraint k
        JOIN pg_class rc ON rc.oid = k.confrelid
        JOIN pg_namespace rn ON rn.oid = rc.relnamespace
       WHERE k.conrelid = c.oid AND k.contype = 'f'), '[]'::jsonb)
  )
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = table_oid
$fn$;

-- A plain btree index as clients see it (CapturedIndex).
CREATE OR REPLACE FUNCTION electric.__captured_index(index_oid oid) RETURNS jsonb
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT jsonb_build_object(
    'name', ic.relname::text,
    'unique', i.indisunique,
    'columns', (
      SELECT jsonb_agg(jsonb_build_object('name', a.attname::text, 'descending', (i.indoption[u.ord - 1] & 1) = 1) ORDER BY u.ord)
        FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
       WHERE u.ord <= i.indnkeyatts)
  )
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indexrelid = index_oid
$fn$;

CREATE OR REPLACE FUNCTION electric.__captured_enum_type(type_oid oid) RETURNS jsonb
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT jsonb_build_object(
    'oid', t.oid::int8,
    'schema', n.nspname::text,
    'name', t.typname::text,
    'values', (SELECT jsonb_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
  )
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.oid = type_oid
$fn$;

-- CREATE TABLE in Postgres dialect, from the catalog: columns with their exact types and NOT NULL, then the primary
-- key and the foreign keys as named constraints. (Nothing else can exist on an electrified table.)
CREATE OR REPLACE FUNCTION electric.__create_table_sql(table_oid oid) RETURNS text
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT format(E'CREATE TABLE %I.%I (\\n%s\\n);', n.nspname, c.relname, array_to_string(
    ARRAY(
      SELECT format('    %I %s%s', a.attname, format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END)
        FROM pg_attribute a
       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum
    ) || ARRAY(
      SELECT format('    CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid))
        FROM pg_constraint k
       WHERE k.conrelid = c.oid AND k.contype IN ('p', 'f')
       ORDER BY k.contype = 'f', k.conname
    ), E',\\n'))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = table_oid
$fn$;

CREATE OR REPLACE FUNCTION electric.__add_column_sql(table_oid oid, column_attnum int) RETURNS text
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT format('ALTER TABLE %I.%I ADD COLUMN %I %s%s;', n.nspname, c.relname, a.attname,
                format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END)
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attrelid = table_oid AND a.attnum = column_attnum
$fn$;

CREATE OR REPLACE FUNCTION electric.__create_type_sql(type_oid oid) RETURNS text
LANGUAGE sql STABLE ${routineSearchPath}
AS $fn$
  SELECT format('CREATE TYPE %I.%I AS ENUM (%s);', n.nspname, t.typname,
                (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE t.oid = type_oid
$fn$;
`;
