// @modulith-covers migrations, cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { tempProject, type TempProject } from '../core/temp-project.js';
import { postgresUrl, requireServices } from '../support/services.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/modulith.js');
const built = existsSync(join(REPO, 'dist/src/cli/main.js'));
if (!built) console.warn('skipping the modulith migrate CLI tests: dist/ is missing (run `npm run build`)');
const e2e = built ? it : it.skip;
const pgUrl = await postgresUrl();
const pg = pgUrl || requireServices ? e2e : it.skip;

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** An entity in plain JavaScript (decorators applied by hand: Node runs no TypeScript). */
function entityFile(className: string, table: string, columns: string[]): string {
  return [
    "import { Column, Entity, PrimaryColumn } from 'typeorm';",
    `export class ${className} {}`,
    `PrimaryColumn({ type: 'varchar', length: 36 })(${className}.prototype, 'id');`,
    ...columns.map((c) => `Column({ type: 'integer', nullable: true })(${className}.prototype, '${c}');`),
    `Entity('${table}')(${className});`,
    '',
  ].join('\n');
}

/** A JavaScript project (ESM) with two modules: ledger (an entity, one migration) and audit (depends on ledger). */
function project(options: { ledgerSchema?: string } = {}): TempProject {
  const p = tempProject({
    'package.json': { name: 'fixture', type: 'module', modulith: { roots: ['modules'] } },
    'modules/ledger/module.json': { name: 'ledger', dependsOn: [], ...(options.ledgerSchema ? { schema: options.ledgerSchema } : {}) },
    'modules/ledger/index.js': "export { Entry } from './entry.entity.js';\n",
    'modules/ledger/entry.entity.js': entityFile('Entry', 'ledger_entries', ['amount']),
    'modules/ledger/migrations/1700000000000-create-entries.js': [
      'export class CreateEntries1700000000000 {',
      '  async up(queryRunner) { await queryRunner.query(\'CREATE TABLE "ledger_entries" ("id" varchar(36) PRIMARY KEY NOT NULL, "amount" integer)\'); }',
      '  async down(queryRunner) { await queryRunner.query(\'DROP TABLE "ledger_entries"\'); }',
      '}',
      '',
    ].join('\n'),
    'modules/audit/module.json': { name: 'audit', dependsOn: ['ledger'] },
    'modules/audit/index.js': 'export const audit = 1;\n',
    'modules/audit/audit-row.entity.js': entityFile('AuditRow', 'audit_rows', []),
    'modules/audit/migrations/1600000000000-create-audit.js':
      'export class CreateAudit1600000000000 {\n  async up(queryRunner) { await queryRunner.query(\'CREATE TABLE "audit_rows" ("id" varchar(36) PRIMARY KEY NOT NULL)\'); }\n}\n',
  });
  // typeorm for the fixture's own files: this repository's, the one the CLI loads too.
  symlinkSync(join(REPO, 'node_modules'), join(p.dir, 'node_modules'), 'dir');
  projects.push(p);
  return p;
}

function modulith(cwd: string, args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', DATABASE_SCHEMA: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('modulith migrate', () => {
  e2e('--dry-run on a database that does not exist lists everything pending, in order, and creates nothing', () => {
    const p = project();
    const result = modulith(p.dir, ['migrate', '--dry-run'], { DATABASE_URL: 'sqlite:data/app.sqlite' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'modulith:events: CreateOutboxTables1764547200000 pending\nmodulith:events: AddEventTraceContext1796152972894 pending\n' +
        'ledger: CreateEntries1700000000000 pending\naudit: CreateAudit1600000000000 pending\n4 pending (dry run: nothing ran)\n',
    );
    expect(existsSync(join(p.dir, 'data/app.sqlite'))).toBe(false);
  });

  e2e('runs the pending migrations in dependency order (ledger before audit, whose timestamp is older), then has nothing to do', () => {
    const p = project();
    const env = { DATABASE_URL: 'sqlite:data/app.sqlite' };
    const first = modulith(p.dir, ['migrate', '--format', 'json'], env);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { migrations: Array<{ module: string; name: string; status: string }> };
    expect(report.migrations.map((m) => `${m.module}/${m.status}`)).toEqual(['modulith:events/applied', 'modulith:events/applied', 'ledger/applied', 'audit/applied']);
    const second = modulith(p.dir, ['migrate'], env);
    expect(second).toMatchObject({ code: 0, stdout: 'nothing to migrate: the database is up to date\n' });
  });

  e2e('MODULE runs only that module (and not the outbox)', () => {
    const p = project();
    const result = modulith(p.dir, ['migrate', 'audit', '--format', 'json'], { DATABASE_URL: 'sqlite:data/app.sqlite' });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { migrations: Array<{ module: string }> }).migrations.map((m) => m.module)).toEqual(['audit']);
  });

  e2e('a failing migration exits 1 naming it; nothing of it is recorded, the next run tries it again', () => {
    const p = project();
    p.write({ 'modules/audit/migrations/1600000000001-broken.js': "export class Broken1600000000001 {\n  async up(queryRunner) { await queryRunner.query('CREATE TABLE audit_rows (id integer)'); }\n}\n" });
    const env = { DATABASE_URL: 'sqlite:data/app.sqlite' };
    const failed = modulith(p.dir, ['migrate'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^modulith migrate: migration Broken1600000000001 of module audit failed, nothing of it was applied: .*already exists/);
    const dry = modulith(p.dir, ['migrate', '--dry-run'], env);
    expect(dry.stdout).toBe('audit: Broken1600000000001 pending\n1 pending (dry run: nothing ran)\n');
  });

  e2e('refuses, exit 2 and a message naming the problem: unknown module, bad options, a broken migration file, TypeScript without a build', () => {
    const p = project();
    const env = { DATABASE_URL: 'sqlite:data/app.sqlite' };
    const unknown = modulith(p.dir, ['migrate', '../../etc'], env);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('modulith migrate: no module named "../../etc"; known: audit, ledger\n');
    expect(modulith(p.dir, ['migrate', '--format', 'xml'], env)).toMatchObject({ code: 2 });
    expect(modulith(p.dir, ['migrate', '--drop-everything'], env)).toMatchObject({ code: 2 });

    p.write({ 'modules/audit/migrations/1600000000002-typo.js': 'export class Typo1600000000002 { async up( {} }\n' });
    const broken = modulith(p.dir, ['migrate'], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^modulith migrate: cannot load the migration file .*modules\/audit\/migrations\/1600000000002-typo\.js: /);
    expect(broken.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const ts = project();
    ts.write({ 'modules/ledger/migrations/1700000000001-more.ts': 'export class More1700000000001 { async up() {} }\n' });
    const unbuilt = modulith(ts.dir, ['migrate'], env);
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toMatch(/modules\/ledger is TypeScript, and the build has no compiled copy of it \(looked in dist\/modules\/ledger and dist\/ledger\): build first \(npm run build\), or pass --from DIR/);
  });

  e2e('a database it cannot open: exit 2, the password never printed', () => {
    const p = project();
    const result = modulith(p.dir, ['migrate'], { DATABASE_URL: 'postgres://app:hunter2-secret@127.0.0.1:1/app' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^modulith migrate: cannot open DATABASE_URL postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app: /);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });
});

describe('modulith migrations generate', () => {
  e2e("writes a migration with what the database lacks for that module's entities only, which migrate then applies", () => {
    const p = project();
    const env = { DATABASE_URL: 'sqlite:data/app.sqlite' };
    expect(modulith(p.dir, ['migrate'], env).code).toBe(0);
    expect(modulith(p.dir, ['migrations', 'generate', 'ledger', 'nothing-new'], env)).toMatchObject({
      code: 0,
      stdout: "nothing to generate: the database already matches ledger's entities (Entry)\n",
    });

    // A new column on ledger's entity; audit's entity changes too, but is not ledger's to migrate.
    p.write({ 'modules/ledger/entry.entity.js': entityFile('Entry', 'ledger_entries', ['amount', 'fee']), 'modules/audit/audit-row.entity.js': entityFile('AuditRow', 'audit_rows', ['level']) });
    const generated = modulith(p.dir, ['migrations', 'generate', 'ledger', 'add-fee'], env);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const written = readdirSync(join(p.dir, 'modules/ledger/migrations')).filter((f) => f.endsWith('-add-fee.js'));
    expect(written).toHaveLength(1);
    const source = readFileSync(join(p.dir, 'modules/ledger/migrations', written[0]!), 'utf8');
    expect(source).toMatch(/^\/\/ Generated by `modulith migrations generate` from the entities of module ledger \(better-sqlite3 SQL\)/);
    expect(source).toMatch(/export class AddFee\d{13} \{/);
    expect(source).toContain('"fee" integer');
    expect(source).not.toContain('audit_rows');
    expect(generated.stdout).toMatch(/^wrote modules\/ledger\/migrations\/\d{13}-add-fee\.js \(AddFee\d{13}: \d+ statement\(s\) for Entry\)/);

    expect(modulith(p.dir, ['migrate', 'ledger'], env).stdout).toMatch(/ledger: AddFee\d{13} applied in \d+ ms\n1 applied\n/);
    expect(modulith(p.dir, ['migrations', 'generate', 'ledger', 'again'], env).stdout).toMatch(/^nothing to generate/);
  });

  e2e('refuses while the module has migrations not applied yet, and hostile names', () => {
    const p = project();
    const env = { DATABASE_URL: 'sqlite:data/app.sqlite' };
    const pending = modulith(p.dir, ['migrations', 'generate', 'ledger', 'x'], env);
    expect(pending.code).toBe(2);
    expect(pending.stderr).toContain('ledger has 1 migration(s) not applied to sqlite:data/app.sqlite (CreateEntries1700000000000): run `modulith migrate ledger` first');
    for (const name of ['../../../tmp/pwn', 'a;rm -rf /', '-x', 'x'.repeat(200), '']) {
      const result = modulith(p.dir, ['migrations', 'generate', 'ledger', name], env);
      expect(result.code).toBe(2);
    }
    expect(readdirSync(join(p.dir, 'modules/ledger/migrations'))).toEqual(['1700000000000-create-entries.js']);
    expect(modulith(p.dir, ['migrations', 'drop'], env).code).toBe(2);
  });
});

describe('a module with its own PostgreSQL schema (module.json "schema")', () => {
  pg('its migrations create its tables in that schema; the history stays in the connection\'s', async () => {
    const base = `mig_${randomBytes(5).toString('hex')}`;
    const ledgerSchema = `${base}_ledger`;
    const admin = await new DataSource({ type: 'postgres', url: pgUrl! }).initialize();
    await admin.query(`CREATE SCHEMA "${base}"`);
    try {
      const p = project({ ledgerSchema });
      const result = modulith(p.dir, ['migrate', '--no-events'], { DATABASE_URL: pgUrl!, DATABASE_SCHEMA: base });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const tables = (await admin.query(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ($1, $2) ORDER BY table_name`, [base, ledgerSchema])) as Array<{ table_schema: string; table_name: string }>;
      expect(tables.map((t) => `${t.table_schema}.${t.table_name}`)).toEqual([`${base}.audit_rows`, `${ledgerSchema}.ledger_entries`, `${base}.modulith_migrations`]);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${base}" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "${ledgerSchema}" CASCADE`);
      await admin.destroy();
    }
  });

  e2e('a schema name that is not a plain PostgreSQL identifier is refused with the file and a fix', () => {
    for (const bad of ['public; DROP TABLE x', 'pg_catalog', 'Billing', 'x'.repeat(64), 7]) {
      const p = project();
      writeFileSync(join(p.dir, 'modules/ledger/module.json'), JSON.stringify({ name: 'ledger', dependsOn: [], schema: bad }));
      const result = modulith(p.dir, ['migrate', '--dry-run'], { DATABASE_URL: 'sqlite:data/app.sqlite' });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('modules/ledger/module.json');
      expect(result.stderr).toContain('"schema" must be a PostgreSQL schema name');
    }
  });
});
