// CALL electric.electrify('items') / ('public.items') / ('public', 'items'): validate the table, make it
// replicable (REPLICA IDENTITY FULL, in the publication), remember its structure and capture its DDL as a migration.

import { captureLockKey, publicationName, routineSearchPath } from './constants.ts';

export const electrifySql = `
-- The publication exists and holds electric.ddl_commands and every electrified table.
CREATE OR REPLACE FUNCTION electric.__ensure_publication() RETURNS void
LANGUAGE plpgsql ${routineSearchPath}
AS $fn$
DECLARE
  missing regclass;
BEGIN
  PERFORM pg_advisory_xact_lock(${captureLockKey});
  IF NOT EXISTS (SELECT 1 FROM pg_publication p WHERE p.pubname = '${publicationName}') THEN
    CREATE PUBLICATION ${publicationName} FOR TABLE electric.ddl_commands;
  END IF;
  IF (SELECT p.puballtables FROM pg_publication p WHERE p.pubname = '${publicationName}') THEN
    RETURN;
  END IF;
  FOR missing IN
    SELECT r.oid::regclass
      FROM (SELECT 'electric.ddl_commands'::regclass::oid AS oid, 0 AS position
            UNION ALL
            SELECT e.oid, 1 FROM electric.electrified e JOIN pg_class c ON c.oid = e.oid) AS r
     WHERE NOT EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
                        WHERE p.pubname = '${publicationName}' AND pr.prrelid = r.oid)
     ORDER BY r.position, r.oid
  LOOP
    EXECUTE format('ALTER PUBLICATION ${publicationName} ADD TABLE %s', missing);
  END LOOP;
END
$fn$;

CREATE OR REPLACE PROCEDURE electric.electrify(name1 text, name2 text DEFAULT NULL)
LANGUAGE plpgsql SECURITY DEFINER ${routineSearchPath}
AS $fn$
DECLARE
  parts text[];
  schema_part text;
  table_part text;
  qualified text;
  tbl record;
  enum_oid oid;
  index_oid oid;
BEGIN
  IF name2 IS NOT NULL THEN
    schema_part := name1;
    table_part := name2;
  ELSE
    parts := parse_ident(name1);
    IF cardinality(parts) = 1 THEN
      schema_part := 'public';
      table_part := parts[1];
    ELSIF cardinality(parts) = 2 THEN
      schema_part := parts[1];
      table_part := parts[2];
    ELSE
      RAISE EXCEPTION USING ERRCODE = 'invalid_name',
        MESSAGE = format('cannot electrify %L: name a table as table or schema.table', name1);
    END IF;
  END IF;
  qualified := format('%I.%I', schema_part, table_part);

  SELECT c.oid, c.relkind, c.relowner INTO tbl
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = schema_part AND c.relname = table_part;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_table',
      MESSAGE = format('cannot electrify table %s: it does not exist; create it first', qualified);
  END IF;
  -- This procedure runs as its owner; only the table's owner may electrify it.
  IF NOT pg_has_role(session_user, tbl.relowner, 'USAGE') THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = format('cannot electrify table %s: only its owner (%s) can electrify it', qualified, tbl.relowner::regrole);
  END IF;

  PERFORM pg_advisory_xact_lock(${captureLockKey});
  IF tbl.relkind = 'r' THEN
    -- Its definition must not change between validating it and capturing it.
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', qualified);
  END IF;
  IF EXISTS (SELECT 1 FROM electric.electrified e WHERE e.oid = tbl.oid) THEN
    RAISE NOTICE 'table % is already electrified; nothing to do', qualified;
    RETURN;
  END IF;
  PERFORM electric.__raise_problems(format('cannot electrify table %s', qualified), electric.__electrify_problems(tbl.oid));

  FOR enum_oid IN
    SELECT a.atttypid FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = tbl.oid AND a.attnum > 0 AND NOT a.attisdropped AND t.typtype = 'e'
     GROUP BY a.atttypid ORDER BY min(a.attnum)
  LOOP
    PERFORM electric.__capture_enum_type(enum_oid);
  END LOOP;

  -- Before the table counts as electrified, so our event trigger ignores this change.
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', qualified);

  INSERT INTO electric.electrified (oid, schema_name, table_name, structure)
  VALUES (tbl.oid, schema_part, table_part, electric.__table_structure(tbl.oid));

  PERFORM electric.__capture(electric.__create_table_sql(tbl.oid),
                             jsonb_build_object('kind', 'create_table', 'table', electric.__captured_table(tbl.oid)));
  FOR index_oid IN
    SELECT i.indexrelid FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = tbl.oid AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = tbl.oid AND k.conindid = i.indexrelid)
     ORDER BY ic.relname
  LOOP
    PERFORM electric.__capture(pg_get_indexdef(index_oid) || ';',
                               jsonb_build_object('kind', 'create_index', 'index', electric.__captured_index(index_oid),
                                                  'table', electric.__captured_table(tbl.oid)));
  END LOOP;

  PERFORM electric.__ensure_publication();
END
$fn$;
`;
