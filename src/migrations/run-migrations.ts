import type { DataSource, QueryRunner } from 'typeorm';
import { appliedMigrations, connectionSchema, ensureHistoryTable, historyKey, isApplied, isPostgres, lockHistory, recordApplied } from './migration-history.js';
import { MigrationError, type ModuleMigrations } from './module-migration.js';

export interface MigrationOutcome {
  module: string;
  name: string;
  /** `applied` now; `pending` in a dry run; `skipped`: another instance applied it meanwhile. */
  status: 'applied' | 'pending' | 'skipped';
  durationMs?: number;
}

export interface RunMigrationsOptions {
  /** Only report what would run. */
  dryRun?: boolean;
  /** Progress lines ("billing: CreateBalances1700000000000 applied in 12 ms"). */
  log?: (line: string) => void;
}

/**
 * Runs the pending migrations of each module, in the order given (see migrationOrder), each in a
 * transaction of its own that also records it in modulith_migrations: a migration that fails
 * leaves nothing behind and stops the run, naming the module, the migration and the database's
 * reason. On PostgreSQL each runs with `search_path` set to its module's schema (module.json
 * "schema", created when missing) or the connection's, so plain `CREATE TABLE "x"` lands there.
 * A migration with `transaction = false` (e.g. CREATE INDEX CONCURRENTLY) runs outside one.
 */
export async function runModuleMigrations(dataSource: DataSource, plan: readonly ModuleMigrations[], options: RunMigrationsOptions = {}): Promise<MigrationOutcome[]> {
  const queryRunner = dataSource.createQueryRunner();
  const outcomes: MigrationOutcome[] = [];
  try {
    await ensureHistoryTable(queryRunner);
    const applied = await appliedMigrations(queryRunner);
    for (const module of plan) {
      for (const migration of module.migrations) {
        if (applied.has(historyKey(module.module, migration.name))) continue;
        if (options.dryRun) {
          outcomes.push({ module: module.module, name: migration.name, status: 'pending' });
          continue;
        }
        const started = Date.now();
        const ran = await runOne(queryRunner, module, migration.name, new migration.migration());
        const outcome: MigrationOutcome = { module: module.module, name: migration.name, status: ran ? 'applied' : 'skipped', durationMs: Date.now() - started };
        outcomes.push(outcome);
        options.log?.(`${module.module}: ${migration.name} ${ran ? `applied in ${outcome.durationMs} ms` : 'already applied by another instance'}`);
      }
    }
    return outcomes;
  } finally {
    await queryRunner.release();
  }
}

type Migration = InstanceType<ModuleMigrations['migrations'][number]['migration']>;

async function runOne(queryRunner: QueryRunner, module: ModuleMigrations, name: string, migration: Migration): Promise<boolean> {
  const schema = module.schema ?? connectionSchema(queryRunner);
  const inTransaction = migration.transaction !== false;
  if (module.schema && isPostgres(queryRunner)) await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${queryRunner.connection.driver.escape(module.schema)}`);
  if (inTransaction) await queryRunner.startTransaction();
  try {
    if (inTransaction) await lockHistory(queryRunner);
    // Checked again under the lock: another instance may have run it since the history was read.
    if (await isApplied(queryRunner, module.module, name)) {
      if (inTransaction) await queryRunner.commitTransaction();
      return false;
    }
    if (schema && isPostgres(queryRunner)) await queryRunner.query(`SET ${inTransaction ? 'LOCAL ' : ''}search_path TO ${queryRunner.connection.driver.escape(schema)}`);
    await migration.up(queryRunner);
    if (schema && isPostgres(queryRunner) && !inTransaction) await queryRunner.query('RESET search_path');
    await recordApplied(queryRunner, module.module, name);
    if (inTransaction) await queryRunner.commitTransaction();
    return true;
  } catch (error) {
    if (inTransaction && queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
    else if (schema && isPostgres(queryRunner)) await queryRunner.query('RESET search_path').catch(() => undefined);
    throw new MigrationError(`migration ${name} of module ${module.module} failed, nothing of it was applied${inTransaction ? '' : ' (unless its statements committed: it runs outside a transaction)'}: ${(error as Error).message}`);
  }
}
