// Capturing DDL as migrations: every captured statement is a row in electric.ddl_commands (which is published, so
// it reaches the replication stream in commit order with the data) and belongs to its transaction's version.

import { captureLockKey, routineSearchPath } from './constants.ts';

export const captureSql = `
-- The version of the current transaction's migration: the one set by electric.migration_version(), or else
-- to_char(transaction_timestamp() in UTC, 'YYYYMMDDHH24MISS_MS'), with _1, _2 … appended if another migration
-- already has it.
CREATE OR REPLACE FUNCTION electric.__assign_version() RETURNS text
LANGUAGE plpgsql ${routineSearchPath}
AS $fn$
DECLARE
  current_txid xid8 := pg_current_xact_id();
  assigned text;
  base text;
  attempt int := 0;
BEGIN
  SELECT v.version INTO assigned FROM electric.migration_versions v WHERE v.txid = current_txid;
  IF FOUND THEN
    RETURN assigned;
  END IF;
  base := to_char(transaction_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS_MS');
  assigned := base;
  WHILE EXISTS (SELECT 1 FROM electric.migration_versions v WHERE v.version = assigned) LOOP
    attempt := attempt + 1;
    assigned := base || '_' || attempt;
  END LOOP;
  INSERT INTO electric.migration_versions (txid, txts, version, explicit)
  VALUES (current_txid, transaction_timestamp(), assigned, false);
  RETURN assigned;
END
$fn$;

-- Records one statement of the current transaction's migration. The advisory lock is held until the transaction
-- ends, so captures are serialized and ddl_commands ids follow commit order.
CREATE OR REPLACE FUNCTION electric.__capture(statement text, metadata jsonb) RETURNS void
LANGUAGE plpgsql ${routineSearchPath}
AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${captureLockKey});
  INSERT INTO electric.ddl_commands (version, query, metadata) VALUES (electric.__assign_version(), statement, metadata);
END
$fn$;

-- Captures CREATE TYPE … AS ENUM the first time an electrified column uses the enum.
CREATE OR REPLACE FUNCTION electric.__capture_enum_type(type_oid oid) RETURNS void
LANGUAGE plpgsql ${routineSearchPath}
AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${captureLockKey});
  IF EXISTS (SELECT 1 FROM electric.ddl_commands d
              WHERE d.metadata->>'kind' = 'create_enum_type' AND (d.metadata->'enumType'->>'oid')::oid = type_oid) THEN
    RETURN;
  END IF;
  PERFORM electric.__capture(electric.__create_type_sql(type_oid),
                             jsonb_build_object('kind', 'create_enum_type', 'enumType', electric.__captured_enum_type(type_oid)));
END
$fn$;

-- CALL electric.migration_version('20240501_1') before the DDL of a migration, in the same transaction, names it.
CREATE OR REPLACE PROCEDURE electric.migration_version(version text)
LANGUAGE plpgsql SECURITY DEFINER ${routineSearchPath}
AS $fn$
DECLARE
  wanted text := version;
  current_txid xid8;
  assigned text;
BEGIN
  IF wanted IS NULL OR wanted !~ '^[0-9_]+$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('invalid migration version %L: a version may contain only digits and underscores '
                       '(for example 20240501120000 or 2_1), because clients accept only versions matching ^[0-9_]+', wanted);
  END IF;
  IF wanted = '0' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid migration version ''0'': clients reserve version 0 for their own setup; choose another version';
  END IF;
  PERFORM pg_advisory_xact_lock(${captureLockKey});
  current_txid := pg_current_xact_id();
  SELECT v.version INTO assigned FROM electric.migration_versions v WHERE v.txid = current_txid;
  IF FOUND THEN
    IF assigned = wanted THEN
      RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM electric.ddl_commands d WHERE d.txid = current_txid) THEN
      RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = format('cannot set migration version %L: this transaction already captured DDL as version %L; call '
                         'electric.migration_version() before the first DDL statement of the migration', wanted, assigned);
    END IF;
  END IF;
  IF EXISTS (SELECT 1 FROM electric.migration_versions v WHERE v.version = wanted AND v.txid <> current_txid) THEN
    RAISE EXCEPTION USING ERRCODE = 'unique_violation',
      MESSAGE = format('migration version %L is already used by an earlier migration; choose a new version', wanted);
  END IF;
  INSERT INTO electric.migration_versions AS v (txid, txts, version, explicit)
  VALUES (current_txid, transaction_timestamp(), wanted, true)
  ON CONFLICT (txid) DO UPDATE SET version = excluded.version, explicit = true;
END
$fn$;
`;
