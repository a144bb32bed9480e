// DDL on electrified tables after electrification. Two event triggers:
// - ddl_command_end: for every electrified table a command touched, compare the table with its stored structure.
//   New nullable columns and new plain indexes become migrations; anything else clients could not follow raises,
//   which aborts the command's transaction.
// - sql_drop: dropping an electrified table, or a column, constraint or index of one, raises.
// DDL on tables that are not electrified is left alone.

import { routineSearchPath } from './constants.ts';

const additiveOnly =
  'Electrified tables accept only additive changes: ALTER TABLE … ADD COLUMN (nullable, without DEFAULT) and CREATE INDEX.';

export const eventTriggersSql = `
CREATE OR REPLACE FUNCTION electric.__reconcile(table_oid oid) RETURNS void
LANGUAGE plpgsql ${routineSearchPath}
AS $fn$
DECLARE
  old jsonb;
  new jsonb;
  item jsonb;
BEGIN
  SELECT e.structure INTO old FROM electric.electrified e WHERE e.oid = table_oid;
  new := electric.__table_structure(table_oid);
  IF old IS NULL OR new IS NULL OR new = old THEN
    RETURN;
  END IF;
  PERFORM electric.__raise_problems(format('cannot change electrified table %I.%I', old->>'schema', old->>'name'),
                                    electric.__change_problems(old, new), '${additiveOnly}');

  FOR item IN
    SELECT x FROM jsonb_array_elements(new->'columns') AS x
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(old->'columns') AS y WHERE y->'attnum' = x->'attnum')
     ORDER BY (x->>'attnum')::int
  LOOP
    IF item->>'typeKind' = 'e' THEN
      PERFORM electric.__capture_enum_type((item->>'typeOid')::oid);
    END IF;
    PERFORM electric.__capture(electric.__add_column_sql(table_oid, (item->>'attnum')::int),
                               jsonb_build_object('kind', 'alter_add_column', 'column', item->>'name',
                                                  'table', electric.__captured_table(table_oid, (item->>'attnum')::int)));
  END LOOP;

  FOR item IN
    SELECT x FROM jsonb_array_elements(new->'indexes') AS x
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(old->'indexes') AS y WHERE y->'name' = x->'name')
     ORDER BY x->>'name'
  LOOP
    PERFORM electric.__capture((item->>'definition') || ';',
                               jsonb_build_object('kind', 'create_index', 'index', electric.__captured_index((item->>'oid')::oid),
                                                  'table', electric.__captured_table(table_oid)));
  END LOOP;

  UPDATE electric.electrified e SET structure = new WHERE e.oid = table_oid;
END
$fn$;

CREATE OR REPLACE FUNCTION electric.__on_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER ${routineSearchPath}
AS $fn$
DECLARE
  command record;
  touched oid[] := '{}';
  table_oid oid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM electric.electrified) THEN
    RETURN;
  END IF;
  FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    IF command.classid = 'pg_class'::regclass THEN
      -- A table, or an index of one.
      SELECT coalesce(i.indrelid, c.oid) INTO table_oid
        FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid
       WHERE c.oid = command.objid;
      touched := touched || table_oid;
    ELSIF command.classid = 'pg_constraint'::regclass THEN
      touched := touched || ARRAY(SELECT k.conrelid FROM pg_constraint k WHERE k.oid = command.objid);
    ELSIF command.classid = 'pg_type'::regclass THEN
      -- ALTER TYPE on an enum that electrified columns use.
      touched := touched || ARRAY(SELECT e.oid FROM electric.electrified e
                                   WHERE e.structure->'columns' @> jsonb_build_array(jsonb_build_object('typeOid', command.objid::int8)));
    END IF;
  END LOOP;
  FOR table_oid IN
    SELECT DISTINCT e.oid FROM electric.electrified e WHERE e.oid = ANY (touched) ORDER BY e.oid
  LOOP
    PERFORM electric.__reconcile(table_oid);
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION electric.__on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER ${routineSearchPath}
AS $fn$
DECLARE
  dropped record;
  e record;
  dropped_tables oid[] := '{}';
  problems text[] := '{}';
BEGIN
  IF NOT EXISTS (SELECT 1 FROM electric.electrified) THEN
    RETURN;
  END IF;
  FOR e IN
    SELECT el.* FROM electric.electrified el
     WHERE EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = el.oid AND d.objsubid = 0)
     ORDER BY el.schema_name, el.table_name
  LOOP
    dropped_tables := dropped_tables || e.oid;
    problems := problems || format('dropping electrified table %I.%I is not supported', e.schema_name, e.table_name);
  END LOOP;
  -- Parts of tables that stay: columns, constraints and indexes (an index of a constraint goes with the constraint).
  FOR dropped IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
    FOR e IN SELECT el.* FROM electric.electrified el WHERE NOT (el.oid = ANY (dropped_tables)) LOOP
      IF dropped.classid = 'pg_class'::regclass AND dropped.objid = e.oid AND dropped.objsubid > 0 THEN
        problems := problems || format('dropping column %s of electrified table %I.%I is not supported',
          coalesce((SELECT electric.__quoted(x->>'name') FROM jsonb_array_elements(e.structure->'columns') AS x
                     WHERE (x->>'attnum')::int = dropped.objsubid), dropped.object_identity),
          e.schema_name, e.table_name);
      ELSIF dropped.object_type = 'index' AND dropped.schema_name = e.schema_name AND e.structure->'indexes'
            @> jsonb_build_array(jsonb_build_object('name', dropped.object_name, 'forConstraint', false)) THEN
        problems := problems || format('dropping index %s of electrified table %I.%I is not supported',
                                       dropped.object_identity, e.schema_name, e.table_name);
      ELSIF dropped.classid = 'pg_constraint'::regclass AND e.structure->'constraints'
            @> jsonb_build_array(jsonb_build_object('oid', dropped.objid::int8)) THEN
        problems := problems || format('dropping constraint %s of electrified table %I.%I is not supported',
                                       dropped.object_identity, e.schema_name, e.table_name);
      END IF;
    END LOOP;
  END LOOP;
  PERFORM electric.__raise_problems('cannot drop objects of electrified tables', problems, '${additiveOnly}');
END
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'electric_ddl_command_end') THEN
    CREATE EVENT TRIGGER electric_ddl_command_end ON ddl_command_end EXECUTE FUNCTION electric.__on_ddl_command_end();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'electric_sql_drop') THEN
    CREATE EVENT TRIGGER electric_sql_drop ON sql_drop EXECUTE FUNCTION electric.__on_sql_drop();
  END IF;
  ALTER EVENT TRIGGER electric_ddl_command_end ENABLE;
  ALTER EVENT TRIGGER electric_sql_drop ENABLE;
END
$do$;
`;
