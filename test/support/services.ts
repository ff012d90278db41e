import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../app/config.js';

/** Set by CI (.ci/run): a missing service is then a failure, never a skip. */
export const requireServices = process.env.MODULITH_REQUIRE_SERVICES === '1';

/** MODULITH_TEST_POSTGRES_URL when set (then only it), else the development machines' loopback server. */
const POSTGRES_CANDIDATES = process.env.MODULITH_TEST_POSTGRES_URL
  ? [process.env.MODULITH_TEST_POSTGRES_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

let probe: Promise<{ url: string | null; reason: string }> | undefined;

/**
 * A PostgreSQL URL that accepted a real connection and `SELECT 1`, or null (see
 * postgresUnavailableReason). Probed once per test file.
 */
export async function postgresUrl(): Promise<string | null> {
  return (await probePostgres()).url;
}

export async function postgresUnavailableReason(): Promise<string> {
  return (await probePostgres()).reason;
}

function probePostgres(): Promise<{ url: string | null; reason: string }> {
  probe ??= (async () => {
    const failures: string[] = [];
    for (const url of POSTGRES_CANDIDATES) {
      const dataSource = new DataSource({ type: 'postgres', url, connectTimeoutMS: 2000 });
      try {
        await dataSource.initialize();
        await dataSource.query('SELECT 1');
        return { url, reason: '' };
      } catch (error) {
        failures.push(`${redact(url)}: ${(error as Error).message}`);
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
      }
    }
    return { url: null, reason: `PostgreSQL is not reachable (${failures.join('; ')})` };
  })();
  return probe;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** A database a test app runs on, created for it and dropped afterwards. */
export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  /** Why this target cannot run here; undefined when it can. */
  unavailable?: string;
  /** A fresh, empty database: a new SQLite file, or a new PostgreSQL schema. */
  provision(): Promise<TestDatabase>;
}

/** SQLite always; PostgreSQL when reachable. Await it at the top of a test file (ESM allows it). */
export async function databaseTargets(): Promise<DatabaseTarget[]> {
  const url = await postgresUrl();
  return [
    { name: 'sqlite', provision: provisionSqlite },
    {
      name: 'postgres',
      unavailable: url ? undefined : await postgresUnavailableReason(),
      provision: () => provisionPostgresSchema(url!),
    },
  ];
}

async function provisionSqlite(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'modulith-db-'));
  return {
    config: { type: 'sqlite', path: join(dir, 'app.sqlite') },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A schema of its own per test app, so parallel runs (and test files) never see each other's rows. */
async function provisionPostgresSchema(url: string): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withPostgres(url, (dataSource) => dataSource.query(`CREATE SCHEMA "${schema}"`));
  return {
    config: { type: 'postgres', url, schema },
    // Also the schema of a module extracted into its own process (see companionDatabase).
    drop: () =>
      withPostgres(url, async (dataSource) => {
        await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}_media" CASCADE`);
      }),
  };
}

/**
 * The database of a module extracted into its own process, next to the app's: `<file>.media.sqlite`,
 * or the schema `<schema>_media` (created here, dropped with the app's). Derived, not random, so a
 * restart on the same app database finds the same module database.
 */
export async function companionDatabase(database: DatabaseConfig, module: 'media'): Promise<DatabaseConfig> {
  if (database.type === 'sqlite') return { type: 'sqlite', path: database.path.replace(/(\.sqlite)?$/, `.${module}.sqlite`) };
  const schema = `${database.schema ?? 'public'}_${module}`;
  await withPostgres(database.url, (dataSource) => dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  return { type: 'postgres', url: database.url, schema };
}

async function withPostgres<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * `describe` once per database target. An unavailable target is skipped with its reason printed
 * (console.warn), or, under MODULITH_REQUIRE_SERVICES=1, turned into a failing test.
 */
export function describeOnDatabases(title: string, targets: DatabaseTarget[], body: (target: DatabaseTarget) => void): void {
  for (const target of targets) {
    const name = `${title} [${target.name}]`;
    if (!target.unavailable) {
      describe(name, () => body(target));
    } else if (requireServices) {
      describe(name, () => {
        it(`needs ${target.name} (MODULITH_REQUIRE_SERVICES=1)`, () => {
          throw new Error(target.unavailable);
        });
      });
    } else {
      console.warn(`skipping "${name}": ${target.unavailable}`);
      describe.skip(name, () => body(target));
    }
  }
}
