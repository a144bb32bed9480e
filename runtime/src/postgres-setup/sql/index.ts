// The electric schema's routines (functions, procedures, event triggers), as one SQL script in dependency order.
// They are (re)installed whenever their text changes: the script's fingerprint is stored in
// electric.installed_routines, so an upgraded runtime replaces them and an unchanged one leaves them alone.

import { createHash } from 'node:crypto';
import { captureSql } from './capture.ts';
import { catalogSql } from './catalog.ts';
import { electrifySql } from './electrify.ts';
import { eventTriggersSql } from './event-triggers.ts';
import { helpersSql } from './helpers.ts';
import { validationSql } from './validation.ts';

const privilegesSql = `
-- Anyone may call the two public procedures; electrify checks table ownership itself. The internal routines (some
-- write electric tables) stay with the owner and are reached only through those procedures and the event triggers.
GRANT USAGE ON SCHEMA electric TO PUBLIC;
REVOKE ALL ON ALL ROUTINES IN SCHEMA electric FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE electric.electrify(text, text), electric.migration_version(text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION electric.__on_ddl_command_end(), electric.__on_sql_drop() TO PUBLIC;
`;

export const routinesSql = [helpersSql, catalogSql, validationSql, captureSql, electrifySql, eventTriggersSql, privilegesSql].join('\n');

export const routinesFingerprint = createHash('sha256').update(routinesSql).digest('hex');

export {
  captureLockKey,
  electricSchema,
  publicationName,
  setupLockKey,
  supportedTypesText,
} from './constants.ts';
