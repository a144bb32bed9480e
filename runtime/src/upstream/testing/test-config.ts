// A RuntimeConfig for tests that talk to a test PostgreSQL.
import { loadRuntimeConfig, type RuntimeConfig } from '../../config/index.ts';

export function testRuntimeConfig(databaseUrl: string, env: Record<string, string> = {}): Promise<RuntimeConfig> {
  return loadRuntimeConfig({
    DATABASE_URL: databaseUrl,
    AUTH_MODE: 'insecure',
    ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes',
    LOG_LEVEL: 'warning',
    ...env,
  });
}
