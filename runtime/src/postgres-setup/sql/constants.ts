// Names and keys shared by the TypeScript side and the SQL routines.

import { sqliteTypeByPgType } from '../../migrations/column-types.ts';

export const electricSchema = 'electric';
export const publicationName = 'electric_publication';

/**
 * pg_advisory_xact_lock key held while the electric schema is installed or upgraded, so two runtimes starting at
 * once take turns. The 8 ASCII bytes of "electric".
 */
export const setupLockKey = 0x65_6c_65_63_74_72_69_63n;

/**
 * pg_advisory_xact_lock key held from a transaction's first captured DDL until it ends. Captures are therefore
 * serialized, and electric.ddl_commands ids follow commit order. The 8 ASCII bytes of "elec_ddl".
 */
export const captureLockKey = 0x65_6c_65_63_5f_64_64_6cn;

/** The supported pg_catalog type names, as a SQL text[] literal. */
export const supportedTypesSql = `ARRAY[${Object.keys(sqliteTypeByPgType)
  .map((name) => `'${name}'`)
  .join(', ')}]::text[]`;

/** The supported types as people write them, for error messages. */
export const supportedTypesText =
  'bool, bytea, date, float4, float8, int2, int4, int8, jsonb, text, time, timestamp, timestamptz, uuid, varchar (without a length) and enum types';

/**
 * Every routine runs with this search_path, so names resolve to pg_catalog only (SECURITY DEFINER routines must not
 * see objects a caller could plant) and catalog helpers (format_type, pg_get_indexdef, regclass) qualify every
 * other name with its schema.
 */
export const routineSearchPath = 'SET search_path = pg_catalog, pg_temp';
