import type { QueryRunner } from 'typeorm';

/** The PostgreSQL advisory lock that serializes migrating instances (one key per history table name). */
const LOCK_KEY = `hashtext('${'$'}{HISTORY_TABLE}')`;

/** The table that records, per module, which migrations ran: what lets a module's history move with it. */
export const HISTORY_TABLE = 'modulith_migrations';

/**
 * Creates the history table when it is missing (plain SQL every dialect TypeORM supports reads).
 * Atomic, because instances boot at once: `IF NOT EXISTS` in one statement (TypeORM's createTable
 * checks, then creates), and on PostgreSQL under the advisory lock, since two concurrent
 * `CREATE TABLE IF NOT EXISTS` there can still collide on the table's row type.
 */
export async function ensureHistoryTable(queryRunner: QueryRunner): Promise<void> {
  const create = `CREATE TABLE IF NOT EXISTS ${historyTable(queryRunner)} (module varchar(200) NOT NULL, name varchar(255) NOT NULL, applied_at bigint NOT NULL, PRIMARY KEY (module, name))`;
  if (!isPostgres(queryRunner)) {
    await queryRunner.query(create);
    return;
  }
  await queryRunner.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    await queryRunner.query(create);
  } finally {
    await queryRunner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  }
}

/** The migrations recorded as applied, as `module/name` keys. */
export async function appliedMigrations(queryRunner: QueryRunner): Promise<Set<string>> {
  const rows = (await queryRunner.query(`SELECT module, name FROM ${historyTable(queryRunner)}`)) as Array<{ module: string; name: string }>;
  return new Set(rows.map((r) => historyKey(r.module, r.name)));
}

export async function isApplied(queryRunner: QueryRunner, module: string, name: string): Promise<boolean> {
  const rows = (await queryRunner.query(`SELECT 1 AS found FROM ${historyTable(queryRunner)} WHERE module = ${param(queryRunner, 1)} AND name = ${param(queryRunner, 2)}`, [module, name])) as unknown[];
  return rows.length > 0;
}

export async function recordApplied(queryRunner: QueryRunner, module: string, name: string, at = Date.now()): Promise<void> {
  await queryRunner.query(
    `INSERT INTO ${historyTable(queryRunner)} (module, name, applied_at) VALUES (${param(queryRunner, 1)}, ${param(queryRunner, 2)}, ${param(queryRunner, 3)})`,
    [module, name, at],
  );
}

/**
 * Takes the write lock on the history table for this transaction, so that two instances booting
 * at once run each migration once: PostgreSQL an advisory transaction lock, SQLite (whose
 * transactions start deferred) a no-op write, which takes the database's write lock.
 */
export async function lockHistory(queryRunner: QueryRunner): Promise<void> {
  if (isPostgres(queryRunner)) await queryRunner.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
  else await queryRunner.query(`UPDATE ${historyTable(queryRunner)} SET applied_at = applied_at WHERE 1 = 0`);
}

export function historyKey(module: string, name: string): string {
  return `${module}/${name}`;
}

export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}

/** The connection's own schema (DataSource option `schema`, PostgreSQL only), where the history table lives. */
export function connectionSchema(queryRunner: QueryRunner): string | undefined {
  return isPostgres(queryRunner) ? ((queryRunner.connection.options as { schema?: string }).schema ?? undefined) : undefined;
}

function historyTable(queryRunner: QueryRunner): string {
  const escape = (name: string) => queryRunner.connection.driver.escape(name);
  const schema = connectionSchema(queryRunner);
  return schema ? `${escape(schema)}.${escape(HISTORY_TABLE)}` : escape(HISTORY_TABLE);
}

/** Positional parameters: $1 on PostgreSQL, ? elsewhere. */
function param(queryRunner: QueryRunner, index: number): string {
  return isPostgres(queryRunner) ? `$${index}` : '?';
}
