// Small SQL helpers: identifier quoting for messages, and raising a list of problems as one error.

import { routineSearchPath } from './constants.ts';

export const helpersSql = `
-- "name" with embedded quotes doubled: how messages show column, constraint and index names.
CREATE OR REPLACE FUNCTION electric.__quoted(name text) RETURNS text
LANGUAGE sql IMMUTABLE ${routineSearchPath}
AS $fn$ SELECT '"' || replace(name, '"', '""') || '"' $fn$;

-- Raises feature_not_supported with every problem: "<prefix>: <problem>", or one problem per line when several.
CREATE OR REPLACE FUNCTION electric.__raise_problems(prefix text, problems text[], hint text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql ${routineSearchPath}
AS $fn$
DECLARE
  message text;
BEGIN
  IF coalesce(cardinality(problems), 0) = 0 THEN
    RETURN;
  END IF;
  message := prefix || CASE
    WHEN cardinality(problems) = 1 THEN ': ' || problems[1]
    ELSE E':\\n  - ' || array_to_string(problems, E'\\n  - ')
  END;
  IF hint IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = message;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = message, HINT = hint;
END
$fn$;
`;
