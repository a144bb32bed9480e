// A configuration problem names the variable, shows the bad value (secrets redacted) and says how to fix it.
import { redactDatabaseUrl } from './database-url.ts';
import { variables, type VariableName, type VariableSchema } from './schema.ts';

export interface ConfigProblem {
  readonly variable: string;
  /** The value as given, redacted when secret; undefined when the variable is missing. */
  readonly shownValue: string | undefined;
  readonly message: string;
  readonly fix: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function schemaOf(name: VariableName): VariableSchema {
  return variables[name];
}

/** How a value may be shown in an error message. */
export function showValue(name: VariableName, raw: string): string {
  if (name === 'DATABASE_URL') return JSON.stringify(redactDatabaseUrl(raw));
  if (schemaOf(name)['x-secret']) return `(secret, ${raw.length} characters, not shown)`;
  return JSON.stringify(raw);
}

export function problem(name: VariableName, raw: string | undefined, message: string, fix = schemaOf(name)['x-fix']): ConfigProblem {
  return { variable: name, shownValue: raw === undefined ? undefined : showValue(name, raw), message, fix };
}

export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => {
    const subject = p.shownValue === undefined ? p.variable : `${p.variable}=${p.shownValue}`;
    return `  - ${subject}: ${sentence(p.message)}\n    Fix: ${sentence(p.fix)}`;
  });
  return `invalid configuration (${count}):\n${lines.join('\n')}`;
}

function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}
