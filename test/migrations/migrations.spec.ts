// @modulith-covers migrations, events, accounts, billing, media
import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource, getMetadataArgsStorage, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { loadApplicationModules } from 'nest-modulith';
import { OUTBOX_ENTITIES } from 'nest-modulith/events';
import {
  eventsMigrations,
  findModuleMigrations,
  migrateOnConnect,
  migrationOrder,
  MigrationError,
  runModuleMigrations,
  HISTORY_TABLE,
  type ModuleMigrations,
} from 'nest-modulith/migrations';
import { AccountsModule } from '../../modules/accounts/index.js';
import { BillingModule } from '../../modules/billing/index.js';
import { MediaModule } from '../../modules/media/index.js';
import { NotificationsModule } from '../../modules/notifications/index.js';
import { databaseTargets, describeOnDatabases, postgresUrl } from '../support/services.js';
import { tempProject } from '../core/temp-project.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const targets = await databaseTargets();
const pgUrl = await postgresUrl();
const MODULES = [BillingModule, AccountsModule, NotificationsModule, MediaModule];

/**
 * The reference app's entities and the outbox's: every entity class TypeORM knows in this test
 * file, which imports nothing but the app's modules (their public APIs, which register their
 * entities when loaded) and nest-modulith.
 */
async function appEntities(): Promise<Function[]> {
  const entities = getMetadataArgsStorage()
    .tables.filter((t) => t.type === 'regular')
    .map((t) => t.target)
    .filter((t): t is Function => typeof t === 'function');
  expect(entities.length).toBe(OUTBOX_ENTITIES.length + 4);
  return entities;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fresh database of the target: a SQLite file, or a PostgreSQL schema (dropped afterwards). */
async function freshDatabase(target: 'sqlite' | 'postgres'): Promise<DataSourceOptions> {
  if (target === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'modulith-migrations-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { type: 'better-sqlite3', database: join(dir, 'app.sqlite') };
  }
  const schema = `mig_${randomBytes(5).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url: pgUrl! }).initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.destroy();
  cleanups.push(async () => {
    const dropper = await new DataSource({ type: 'postgres', url: pgUrl! }).initialize();
    await dropper.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dropper.query(`DROP SCHEMA IF EXISTS "${schema}_ledger" CASCADE`);
    await dropper.destroy();
  });
  return { type: 'postgres', url: pgUrl!, schema };
}

async function appPlan(): Promise<ModuleMigrations[]> {
  const model = loadApplicationModules(REPO, { roots: ['modules'] });
  return findModuleMigrations(model, { framework: [eventsMigrations()] });
}

/** What TypeORM's synchronize would still change for these entities: [] when the migrations built exactly their schema. */
async function pendingSchemaChanges(options: DataSourceOptions, entities: Function[]): Promise<string[]> {
  const dataSource = await new DataSource({ ...options, entities } as DataSourceOptions).initialize();
  try {
    return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  } finally {
    await dataSource.destroy();
  }
}

async function history(options: DataSourceOptions): Promise<string[]> {
  const dataSource = await new DataSource(options).initialize();
  try {
    const schema = (options as { schema?: string }).schema;
    const rows = (await dataSource.query(`SELECT module, name FROM ${schema ? `"${schema}".` : ''}"${HISTORY_TABLE}" ORDER BY applied_at, module`)) as Array<{ module: string; name: string }>;
    return rows.map((r) => `${r.module}/${r.name}`);
  } finally {
    await dataSource.destroy();
  }
}

describe('migration order', () => {
  it('runs shared modules first, then every module after the modules it depends on, ties by name', () => {
    const project = tempProject({
      'modules/kernel/module.json': { name: 'kernel', dependsOn: [], shared: true },
      'modules/zeta/module.json': { name: 'zeta', dependsOn: [] },
      'modules/orders/module.json': { name: 'orders', dependsOn: ['zeta', 'catalog'] },
      'modules/catalog/module.json': { name: 'catalog', dependsOn: ['zeta'] },
      'modules/alpha/module.json': { name: 'alpha', dependsOn: ['orders'] },
    });
    try {
      const model = loadApplicationModules(project.dir, { roots: ['modules'] });
      expect(migrationOrder(model)).toEqual(['kernel', 'zeta', 'catalog', 'orders', 'alpha']);
      expect(migrationOrder(model, ['alpha', 'zeta'])).toEqual(['zeta', 'alpha']);
    } finally {
      project.dispose();
    }
  });

  it("orders the reference app's modules billing before accounts (accounts depends on it), the outbox first", async () => {
    const plan = await appPlan();
    expect(plan.map((p) => p.module)).toEqual(['modulith:events', 'billing', 'accounts', 'media']);
  });
});

describeOnDatabases('the reference app migrates', targets, (target) => {
  it('a fresh database: every table as the entities describe it (synchronize would change nothing), recorded per module, and a second run does nothing', async () => {
    const options = await freshDatabase(target.name);
    const dataSource = await new DataSource(options).initialize();
    const first = await runModuleMigrations(dataSource, await appPlan());
    const second = await runModuleMigrations(dataSource, await appPlan());
    await dataSource.destroy();
    expect(first.map((o) => `${o.module}:${o.status}`)).toEqual(['modulith:events:applied', 'modulith:events:applied', 'billing:applied', 'accounts:applied', 'media:applied', 'media:applied']);
    expect(second).toEqual([]);
    expect(await pendingSchemaChanges(options, await appEntities())).toEqual([]);
    expect(await history(options)).toEqual(
      expect.arrayContaining(['billing/CreateBilling1764547200002', 'modulith:events/CreateOutboxTables1764547200000', 'media/AddMediaJobTraceContext1796155363919']),
    );
  });

  it("a database created by the previous version's synchronize: its rows kept, migrations recorded as applied, schema unchanged", async () => {
    const options = await freshDatabase(target.name);
    const entities = await appEntities();
    const old = await new DataSource({ ...options, entities, synchronize: true } as DataSourceOptions).initialize();
    await old.query(`INSERT INTO ${qualified(options, 'billing_balances')} (account_id, credits) VALUES ('acc-1', 42)`);
    await old.destroy();

    const dataSource = await new DataSource(options).initialize();
    const outcomes = await runModuleMigrations(dataSource, await appPlan());
    const rows = (await dataSource.query(`SELECT credits FROM ${qualified(options, 'billing_balances')} WHERE account_id = 'acc-1'`)) as Array<{ credits: number }>;
    await dataSource.destroy();
    expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
    expect(rows.map((r) => Number(r.credits))).toEqual([42]);
    expect(await pendingSchemaChanges(options, entities)).toEqual([]);
  });

  it('a failing migration leaves nothing behind, is not recorded, stops the run and names its module', async () => {
    const options = await freshDatabase(target.name);
    class CreateThings1700000000001 {
      async up(queryRunner: QueryRunner) {
        await queryRunner.query('CREATE TABLE things_a (id integer PRIMARY KEY)');
        await queryRunner.query('CREATE TABLE things_a (id integer PRIMARY KEY)'); // fails: exists
      }
    }
    class Later1700000000002 {
      async up(queryRunner: QueryRunner) {
        await queryRunner.query('CREATE TABLE things_later (id integer PRIMARY KEY)');
      }
    }
    const plan: ModuleMigrations[] = [
      {
        module: 'things',
        migrations: [
          { module: 'things', name: 'CreateThings1700000000001', timestamp: 1700000000001, migration: CreateThings1700000000001 },
          { module: 'things', name: 'Later1700000000002', timestamp: 1700000000002, migration: Later1700000000002 },
        ],
      },
    ];
    const dataSource = await new DataSource(options).initialize();
    try {
      const failure = await runModuleMigrations(dataSource, plan).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as Error).message).toMatch(/^migration CreateThings1700000000001 of module things failed, nothing of it was applied: /);
      const runner = dataSource.createQueryRunner();
      expect(await runner.hasTable('things_a')).toBe(false);
      expect(await runner.hasTable('things_later')).toBe(false);
      await runner.release();
    } finally {
      await dataSource.destroy();
    }
    expect(await history(options)).toEqual([]);
  });

  it('two instances booting at once run each migration once', async () => {
    const options = await freshDatabase(target.name);
    if (target.name === 'sqlite') {
      // Two processes (better-sqlite3 blocks its process while it waits for the other's lock).
      const runs = await Promise.all([0, 1].map(() => migrateInProcess((options as { database: string }).database)));
      const applied = runs.flat().filter((o) => o.status === 'applied').map((o) => o.name).sort();
      expect(applied).toEqual((await appPlan()).flatMap((p) => p.migrations.map((m) => m.name)).sort());
      expect(await pendingSchemaChanges(options, await appEntities())).toEqual([]);
      return;
    }
    const [a, b] = await Promise.all([new DataSource(options).initialize(), new DataSource(options).initialize()]);
    try {
      const plan = await appPlan();
      const [first, second] = await Promise.all([runModuleMigrations(a, plan), runModuleMigrations(b, plan)]);
      const applied = [...first, ...second].filter((o) => o.status === 'applied').map((o) => o.name).sort();
      expect(applied).toEqual(plan.flatMap((p) => p.migrations.map((m) => m.name)).sort());
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
    expect(await pendingSchemaChanges(options, await appEntities())).toEqual([]);
  });
});

describe('migrateOnConnect (the dataSourceFactory the app uses)', () => {
  it("migrates only the modules this process hosts: with media remote, media's table is not created here", async () => {
    const options = await freshDatabase('sqlite');
    const seen: string[] = [];
    const factory = migrateOnConnect({ modules: MODULES, topology: { remote: ['media'] }, events: true, onMigrated: (o) => seen.push(...o.map((m) => m.module)) });
    const dataSource = await factory(options);
    try {
      const runner = dataSource.createQueryRunner();
      expect(await runner.hasTable('media_jobs')).toBe(false);
      expect(await runner.hasTable('billing_balances')).toBe(true);
      expect(await runner.hasTable('modulith_events')).toBe(true);
      await runner.release();
    } finally {
      await dataSource.destroy();
    }
    expect(seen).toEqual(['modulith:events', 'modulith:events', 'billing', 'accounts']);
  });

  it('a migration without a timestamp in its name refuses the boot, naming the file and the fix', async () => {
    const project = tempProject({
      'package.json': { name: 'fixture', type: 'module' },
      'modules/ledger/module.json': { name: 'ledger', dependsOn: [] },
      'modules/ledger/migrations/initial.js': 'export class Initial { async up() {} }\n',
    });
    try {
      const model = loadApplicationModules(project.dir, { roots: ['modules'] });
      const failure = await findModuleMigrations(model).catch((error: unknown) => error);
      expect((failure as Error).message).toMatch(/migration Initial \(.*modules\/ledger\/migrations\/initial\.js\) of module ledger: its name must end with a 13-digit timestamp/);
    } finally {
      project.dispose();
    }
  });
});

function migrateInProcess(database: string): Promise<Array<{ name: string; status: string }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(REPO, 'test/support/register-ts.mjs'), join(REPO, 'test/migrations/support/migrate-process.ts'), database], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`migrate process exited ${code}: ${err}`))));
  });
}

function qualified(options: DataSourceOptions, table: string): string {
  const schema = (options as { schema?: string }).schema;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}
