// What may be electrified, and which later changes an electrified table accepts. Each function returns problems as
// sentences that name the table's column, constraint or index and say how to fix it; callers raise them together
// with electric.__raise_problems.

import { routineSearchPath, supportedTypesSql, supportedTypesText } from './constants.ts';

export const validationSql = `
-- NULL when a column of this type can be synced, otherwise why not and what to use instead.
CREATE OR REPLACE FUNCTION electric.__column_type_problem(type_oid oid, typmod int, ndims int, column_name text) RETURNS text
LANGUAGE plpgsql STABLE ${routineSearchPath}
AS $fn$
DECLARE
  ty record;
  shown text := format_type(type_oid, typmod);
  bad_labels text;
BEGIN
  SELECT t.typname::text AS name, t.typtype, t.typcategory, t.typbasetype, t.typtypmod, n.nspname::text AS schema
    INTO ty
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE t.oid = type_oid;
  IF ndims > 0 OR ty.typcategory = 'A' THEN
    RETURN format('column %s has type %s: array types are not supported; store the values in a jsonb column instead',
                  electric.__quoted(column_name), shown);
  END IF;
  IF ty.typtype = 'e' THEN
    SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) INTO bad_labels
      FROM pg_enum e
     WHERE e.enumtypid = type_oid AND e.enumlabel !~* '^[a-z][a-z_0-9]*$';
    IF bad_labels IS NOT NULL THEN
      RETURN format('column %s has enum type %s whose values %s are not plain identifiers (they must match ^[a-z][a-z_0-9]*$, '
                    'case-insensitive); rename them with ALTER TYPE %s RENAME VALUE ''old'' TO ''new''',
                    electric.__quoted(column_name), shown, bad_labels, shown);
    END IF;
    RETURN NULL;
  END IF;
  IF ty.typtype = 'd' THEN
    RETURN format('column %s has type %s, which is a domain: domains are not supported; use its base type %s',
                  electric.__quoted(column_name), shown, format_type(ty.typbasetype, ty.typtypmod));
  END IF;
  IF ty.schema = 'pg_catalog' AND ty.name = ANY (${supportedTypesSql}) THEN
    IF typmod = -1 THEN
      RETURN NULL;
    END IF;
    IF ty.name = 'varchar' THEN
      RETURN format('column %s has type %s: a length limit is not supported; use varchar without a length, or text',
                    electric.__quoted(column_name), shown);
    END IF;
    RETURN format('column %s has type %s: a type modifier is not supported; use %s without it',
                  electric.__quoted(column_name), shown, format_type(type_oid, NULL));
  END IF;
  RETURN format('column %s has type %s, which cannot be synced%s; supported types are ${supportedTypesText}',
                electric.__quoted(column_name), shown,
                CASE ty.name
                  WHEN 'numeric' THEN ' (use float8, or text for exact decimals)'
                  WHEN 'json' THEN ' (use jsonb)'
                  WHEN 'bpchar' THEN ' (use text or varchar without a length)'
                  WHEN 'timetz' THEN ' (use time, or timestamptz)'
                  ELSE ''
                END);
END
$fn$;

-- NULL when clients can create this index (or it belongs to a constraint, judged separately), otherwise why not.
CREATE OR REPLACE FUNCTION electric.__index_problem(index_oid oid) RETURNS text
LANGUAGE plpgsql STABLE ${routineSearchPath}
AS $fn$
DECLARE
  ix record;
BEGIN
  SELECT i.indisprimary AS is_primary, i.indisunique AS is_unique, i.indexprs IS NOT NULL AS has_expressions,
         i.indpred IS NOT NULL AS is_partial, i.indnkeyatts <> i.indnatts AS has_include, am.amname::text AS method,
         ic.relname::text AS name, n.nspname::text AS schema, pg_get_indexdef(i.indexrelid) AS definition,
         EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid) AS for_constraint
    INTO ix
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    JOIN pg_namespace n ON n.oid = ic.relnamespace
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR ix.is_primary OR ix.for_constraint THEN
    RETURN NULL;
  END IF;
  IF ix.is_unique THEN
    RETURN format('index %s is UNIQUE: unique indexes are not supported, because clients that write offline cannot '
                  'check uniqueness; drop it with DROP INDEX %I.%I, or create it without UNIQUE',
                  electric.__quoted(ix.name), ix.schema, ix.name);
  END IF;
  IF ix.method <> 'btree' OR ix.has_expressions OR ix.is_partial OR ix.has_include THEN
    RETURN format('index %s (%s) cannot be created on clients: only plain btree indexes on columns are supported '
                  '(no expressions, WHERE, INCLUDE or other index methods); drop it with DROP INDEX %I.%I',
                  electric.__quoted(ix.name), ix.definition, ix.schema, ix.name);
  END IF;
  RETURN NULL;
END
$fn$;

-- Everything that stops a table from being electrified (empty when it can be).
CREATE OR REPLACE FUNCTION electric.__electrify_problems(table_oid oid) RETURNS text[]
LANGUAGE plpgsql STABLE ${routineSearchPath}
AS $fn$
DECLARE
  tbl record;
  col record;
  con record;
  idx record;
  problems text[] := '{}';
  problem text;
  qualified text;
BEGIN
  SELECT c.relkind, c.relpersistence, c.relname::text AS name, n.nspname::text AS schema
    INTO tbl
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = table_oid;
  qualified := format('%I.%I', tbl.schema, tbl.name);
  IF tbl.relkind <> 'r' THEN
    RETURN ARRAY[format('%s is %s; only ordinary tables can be electrified', qualified, CASE tbl.relkind
      WHEN 'p' THEN 'a partitioned table' WHEN 'v' THEN 'a view' WHEN 'm' THEN 'a materialized view'
      WHEN 'f' THEN 'a foreign table' WHEN 'S' THEN 'a sequence' WHEN 'c' THEN 'a composite type'
      ELSE 'not a table' END)];
  END IF;

  IF tbl.schema <> 'public' THEN
    problems := problems || format('it is in schema %I, but only tables in schema public can be electrified; move it with '
                                   'ALTER TABLE %s SET SCHEMA public', tbl.schema, qualified);
  END IF;
  IF tbl.relpersistence = 'u' THEN
    problems := problems || format('it is UNLOGGED, and unlogged tables are not replicated; make it logged with '
                                   'ALTER TABLE %s SET LOGGED', qualified);
  ELSIF tbl.relpersistence = 't' THEN
    problems := problems || 'it is a temporary table; create it as a regular table'::text;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = table_oid OR h.inhparent = table_oid) THEN
    problems := problems || 'it is part of an inheritance hierarchy (INHERITS); only stand-alone tables can be electrified'::text;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = table_oid AND k.contype = 'p') THEN
    problems := problems || format('it has no primary key; add one with ALTER TABLE %s ADD PRIMARY KEY (<column>) '
                                   '(best a uuid column whose values clients generate)', qualified);
  END IF;

  FOR col IN
    SELECT a.attname::text AS name, a.atttypid, a.atttypmod, a.attndims, a.atthasdef, a.attidentity, a.attgenerated,
           pg_get_expr(d.adbin, d.adrelid) AS default_expression
      FROM pg_attribute a
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = table_oid AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum
  LOOP
    problem := electric.__column_type_problem(col.atttypid, col.atttypmod, col.attndims, col.name);
    IF problem IS NOT NULL THEN
      problems := problems || problem;
    END IF;
    IF col.attgenerated <> '' THEN
      problems := problems || format('column %s is a generated column (GENERATED ALWAYS AS %s), which is not supported; '
                                     'make it a plain column with ALTER TABLE %s ALTER COLUMN %I DROP EXPRESSION',
                                     electric.__quoted(col.name), col.default_expression, qualified, col.name);
    ELSIF col.attidentity <> '' THEN
      problems := problems || format('column %s is an identity column, whose values the server generates, which offline '
                                     'clients cannot do; remove that with ALTER TABLE %s ALTER COLUMN %I DROP IDENTITY '
                                     '(and let clients generate keys, e.g. uuids)', electric.__quoted(col.name), qualified, col.name);
    ELSIF col.atthasdef THEN
      problems := problems || format('column %s has a DEFAULT (%s), and column defaults are not supported; remove it with '
                                     'ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT',
                                     electric.__quoted(col.name), col.default_expression, qualified, col.name);
    END IF;
  END LOOP;

  FOR con IN
    SELECT k.conname::text AS name, k.contype, k.confrelid, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k
     WHERE k.conrelid = table_oid
     ORDER BY k.conname
  LOOP
    IF con.contype IN ('p', 'n') THEN
      CONTINUE;
    ELSIF con.contype = 'f' THEN
      IF con.confrelid <> table_oid AND NOT EXISTS (SELECT 1 FROM electric.electrified e WHERE e.oid = con.confrelid) THEN
        problems := problems || format('foreign key %s references %s, which is not electrified; electrify it first with '
                                       'CALL electric.electrify(%L)', electric.__quoted(con.name), con.confrelid::regclass,
                                       con.confrelid::regclass::text);
      END IF;
    ELSE
      problems := problems || format('constraint %s is a %s constraint (%s), but only PRIMARY KEY, FOREIGN KEY and NOT NULL '
                                     'constraints are supported; drop it with ALTER TABLE %s DROP CONSTRAINT %I',
                                     electric.__quoted(con.name),
                                     CASE con.contype WHEN 'c' THEN 'CHECK' WHEN 'u' THEN 'UNIQUE' WHEN 'x' THEN 'EXCLUDE'
                                                      WHEN 't' THEN 'trigger' ELSE con.contype::text END,
                                     con.definition, qualified, con.name);
    END IF;
  END LOOP;

  FOR idx IN
    SELECT i.indexrelid FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = table_oid ORDER BY ic.relname
  LOOP
    problem := electric.__index_problem(idx.indexrelid);
    IF problem IS NOT NULL THEN
      problems := problems || problem;
    END IF;
  END LOOP;
  RETURN problems;
END
$fn$;

-- Compares an electrified table's stored structure with the structure after a DDL command. Empty when the change
-- is one clients can follow: new nullable columns of supported types without DEFAULT, and new plain indexes.
-- Changes nobody syncs (owner, comments, statistics, grants) pass silently.
CREATE OR REPLACE FUNCTION electric.__change_problems(old jsonb, new jsonb) RETURNS text[]
LANGUAGE plpgsql STABLE ${routineSearchPath}
AS $fn$
DECLARE
  problems text[] := '{}';
  problem text;
  oc jsonb;
  nc jsonb;
BEGIN
  IF old->>'schema' <> new->>'schema' OR old->>'name' <> new->>'name' THEN
    problems := problems || format('renaming it or moving it to another schema (now %I.%I) is not supported', new->>'schema', new->>'name');
  END IF;
  IF old->>'relkind' <> new->>'relkind' OR old->>'persistence' <> new->>'persistence' THEN
    problems := problems || 'changing it to UNLOGGED or to another kind of table is not supported'::text;
  END IF;
  IF old->>'replicaIdentity' <> new->>'replicaIdentity' THEN
    problems := problems || 'changing its REPLICA IDENTITY is not supported (it must stay FULL)'::text;
  END IF;

  FOR oc IN SELECT x FROM jsonb_array_elements(old->'columns') AS x LOOP
    SELECT x INTO nc FROM jsonb_array_elements(new->'columns') AS x WHERE x->'attnum' = oc->'attnum';
    IF nc IS NULL THEN
      problems := problems || format('dropping column %s is not supported', electric.__quoted(oc->>'name'));
      CONTINUE;
    END IF;
    IF nc->>'name' <> oc->>'name' THEN
      problems := problems || format('renaming column %s to %s is not supported', electric.__quoted(oc->>'name'), electric.__quoted(nc->>'name'));
    END IF;
    IF nc->'typeOid' <> oc->'typeOid' OR nc->'typmod' <> oc->'typmod' OR nc->'ndims' <> oc->'ndims' THEN
      problems := problems || format('changing the type of column %s from %s to %s is not supported',
                                     electric.__quoted(nc->>'name'), oc->>'typeName', nc->>'typeName');
    ELSIF nc->'enumLabels' IS DISTINCT FROM oc->'enumLabels' THEN
      problems := problems || format('changing the values of enum type %s (the type of column %s) is not supported',
                                     nc->>'typeName', electric.__quoted(nc->>'name'));
    END IF;
    IF nc->'notNull' <> oc->'notNull' THEN
      problems := problems || format('%s NOT NULL on column %s is not supported',
                                     CASE WHEN (nc->>'notNull')::boolean THEN 'setting' ELSE 'dropping' END, electric.__quoted(nc->>'name'));
    END IF;
    IF nc->'generated' <> oc->'generated' OR nc->'identity' <> oc->'identity' THEN
      problems := problems || format('making column %s an identity or generated column is not supported', electric.__quoted(nc->>'name'));
    ELSIF nc->'hasDefault' <> oc->'hasDefault' THEN
      problems := problems || format('adding a DEFAULT to column %s is not supported (electrified tables have no column defaults)',
                                     electric.__quoted(nc->>'name'));
    END IF;
  END LOOP;

  FOR nc IN
    SELECT x FROM jsonb_array_elements(new->'columns') AS x
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(old->'columns') AS y WHERE y->'attnum' = x->'attnum')
     ORDER BY (x->>'attnum')::int
  LOOP
    problem := electric.__column_type_problem((nc->>'typeOid')::oid, (nc->>'typmod')::int, (nc->>'ndims')::int, nc->>'name');
    IF problem IS NOT NULL THEN
      problems := problems || ('new ' || problem);
    END IF;
    IF nc->>'generated' <> '' OR nc->>'identity' <> '' THEN
      problems := problems || format('new column %s cannot be an identity or generated column', electric.__quoted(nc->>'name'));
    ELSIF (nc->>'hasDefault')::boolean THEN
      problems := problems || format('new column %s cannot have a DEFAULT; add it without one', electric.__quoted(nc->>'name'));
    END IF;
    IF (nc->>'notNull')::boolean THEN
      problems := problems || format('new column %s cannot be NOT NULL, because the rows clients already have would get '
                                     'NULL in it; add it as a nullable column', electric.__quoted(nc->>'name'));
    END IF;
  END LOOP;

  -- NOT NULL constraints (PostgreSQL 18 stores them as constraints) follow their columns, checked above.
  FOR oc IN SELECT x FROM jsonb_array_elements(old->'constraints') AS x WHERE x->>'type' <> 'n' LOOP
    SELECT x INTO nc FROM jsonb_array_elements(new->'constraints') AS x WHERE x->'oid' = oc->'oid';
    IF nc IS NULL THEN
      problems := problems || format('dropping constraint %s is not supported', electric.__quoted(oc->>'name'));
    ELSIF nc->'name' <> oc->'name' OR nc->'definition' <> oc->'definition' THEN
      problems := problems || format('changing constraint %s is not supported', electric.__quoted(oc->>'name'));
    END IF;
  END LOOP;
  FOR nc IN
    SELECT x FROM jsonb_array_elements(new->'constraints') AS x
     WHERE x->>'type' <> 'n'
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(old->'constraints') AS y WHERE y->'oid' = x->'oid')
  LOOP
    problems := problems || format('adding constraint %s (%s) is not supported', electric.__quoted(nc->>'name'), nc->>'definition');
  END LOOP;

  -- Indexes are matched by name (a rebuild gives an index a new oid) and compared by shape (renamed columns do not
  -- change it); those that back a constraint are judged with their constraint.
  FOR oc IN SELECT x FROM jsonb_array_elements(old->'indexes') AS x WHERE NOT (x->>'forConstraint')::boolean LOOP
    SELECT x INTO nc FROM jsonb_array_elements(new->'indexes') AS x WHERE x->'name' = oc->'name';
    IF nc IS NULL THEN
      problems := problems || format('dropping or renaming index %s is not supported', electric.__quoted(oc->>'name'));
    ELSIF nc->'shape' <> oc->'shape' THEN
      problems := problems || format('changing index %s is not supported', electric.__quoted(oc->>'name'));
    END IF;
  END LOOP;
  FOR nc IN
    SELECT x FROM jsonb_array_elements(new->'indexes') AS x
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(old->'indexes') AS y WHERE y->'name' = x->'name')
  LOOP
    problem := electric.__index_problem((nc->>'oid')::oid);
    IF problem IS NOT NULL THEN
      problems := problems || problem;
    END IF;
  END LOOP;
  RETURN problems;
END
$fn$;
`;
