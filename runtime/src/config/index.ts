// Runtime configuration: every environment variable the sync service reads, with Electric 0.x's names, defaults and
// accepted values. schema.ts is the single source of truth; load-config.ts applies it; config-docs.ts documents it.
export { loadRuntimeConfig, databaseSslMode, type RuntimeConfig, type AuthConfig, type DatabaseSslMode } from './load-config.ts';
export { ConfigError, formatConfigProblems, type ConfigProblem } from './problems.ts';
export { runtimeConfigSchema, variables, variableNames, jwtAlgorithms, logLevels, type VariableName, type JwtAlgorithm, type LogLevel } from './schema.ts';
export { renderConfigTable } from './config-docs.ts';
