import { databaseTargets, requireServices } from '../support/services.js';

/**
 * A fresh PostgreSQL schema for one test (see test/support/services.ts), or null with the reason
 * printed when PostgreSQL is not reachable. Under MODULITH_REQUIRE_SERVICES=1 that is an error.
 */
export async function freshSchema(_purpose: string): Promise<{ url: string; schema: string; drop(): Promise<void> } | null> {
  const postgres = (await databaseTargets()).find((t) => t.name === 'postgres')!;
  if (postgres.unavailable) {
    if (requireServices) throw new Error(`PostgreSQL is required (MODULITH_REQUIRE_SERVICES=1): ${postgres.unavailable}`);
    console.warn(`skipping PostgreSQL tests: ${postgres.unavailable}`);
    return null;
  }
  const database = await postgres.provision();
  const config = database.config as { url: string; schema: string };
  return { url: config.url, schema: config.schema, drop: database.drop };
}
