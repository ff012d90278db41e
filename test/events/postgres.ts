import pg from 'pg';

const URL = process.env.MODULITH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh PostgreSQL schema for one test, or null (with the reason printed) when PostgreSQL is
 * not reachable. With MODULITH_REQUIRE_SERVICES=1 (CI) an unreachable server is an error.
 */
export async function freshSchema(prefix: string): Promise<{ url: string; schema: string; drop(): Promise<void> } | null> {
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    if (process.env.MODULITH_REQUIRE_SERVICES === '1') throw new Error(`PostgreSQL at ${URL} is required (MODULITH_REQUIRE_SERVICES=1): ${(error as Error).message}`);
    console.warn(`skipping PostgreSQL tests: ${URL} is not reachable (${(error as Error).message})`);
    return null;
  }
  const schema = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  return {
    url: URL,
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}
