import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource, getMetadataArgsStorage, type DataSourceOptions } from 'typeorm';
import { isModuleName, loadApplicationModules, walkFiles, type ApplicationModule, type ApplicationModules } from '../core/index.js';
import { dataSourceOptionsFromUrl, DEFAULT_DATABASE_URL, redactDatabaseUrl, scrubDatabaseSecrets, type CommandIo } from '../events/index.js';
import { compiledModuleDir, runnableModuleDir } from './compiled-dirs.js';
import { findModuleMigrations, MIGRATIONS_FOLDER } from './find-migrations.js';
import { eventsMigrations } from './framework-migrations.js';
import { migrationClassName, migrationFileName, migrationSource, schemaChanges } from './generate-migration.js';
import { appliedMigrations, ensureHistoryTable, historyKey } from './migration-history.js';
import { MigrationError } from './module-migration.js';
import { runModuleMigrations, type MigrationOutcome } from './run-migrations.js';

export const MIGRATE_USAGE = `modulith migrate — run the modules' pending migrations on DATABASE_URL (default ${DEFAULT_DATABASE_URL})

  modulith migrate [MODULE] [--dry-run] [--from DIR] [--no-events] [--format pretty|json]
      every module's (or only MODULE's) pending migrations, in module dependency order, each in a
      transaction recorded in modulith_migrations; the outbox's own first (--no-events: not).
      Migrations written in TypeScript run from the build (--from, default dist): build first.
  modulith migrations generate MODULE NAME [--from DIR]
      writes <module dir>/migrations/<timestamp>-<name>.ts: what DATABASE_URL lacks for MODULE's
      entities only (read from the build), as SQL of that database; nothing written when it lacks nothing.
`;

/** `modulith migrate ...`; exit 0 done (or nothing to do), 1 a migration failed, 2 bad usage or configuration. */
export async function runMigrateCommand(args: string[], io: CommandIo): Promise<number> {
  return reportingProblems('migrate', io, () => migrate(args, io));
}

async function migrate(args: string[], io: CommandIo): Promise<number> {
  const parsed = parse(args, { 'dry-run': { type: 'boolean' }, from: { type: 'string' }, 'no-events': { type: 'boolean' }, format: { type: 'string' } }, io);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const format = (values.format as string | undefined) ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') return usage(io, `--format must be pretty or json (got ${JSON.stringify(format)})`);
  if (positionals.length > 1) return usage(io, `migrate takes at most one MODULE (got ${positionals.length})`);
  const cwd = io.cwd ?? process.cwd();
  const model = loadApplicationModules(cwd, { allowCycles: true });
  const only = positionals[0];
  if (only !== undefined) requireModule(model, only);

  const url = io.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const plan = await findModuleMigrations(model, {
    ...(only ? { modules: [only] } : {}),
    moduleDir: (module) => runnableModuleDir(cwd, module, values.from as string | undefined),
    framework: only || values['no-events'] ? [] : [eventsMigrations()],
  });
  const dryRun = values['dry-run'] === true;
  if (dryRun && missingSqliteFile(url, io, cwd)) {
    // A dry run creates nothing: a database that does not exist yet has every migration pending.
    const outcomes = plan.flatMap((p) => p.migrations.map((m) => ({ module: m.module, name: m.name, status: 'pending' as const })));
    report(io, format, url, true, outcomes);
    return 0;
  }
  const dataSource = await open(url, io, cwd);
  if (!dataSource) return 2;
  try {
    const outcomes = await runModuleMigrations(dataSource, plan, {
      dryRun,
      ...(format === 'pretty' ? { log: (line: string) => io.stdout(`${line}\n`) } : {}),
    });
    report(io, format, url, dryRun, outcomes);
    return 0;
  } catch (error) {
    io.stderr(`modulith migrate: ${scrubDatabaseSecrets((error as Error).message, url)}\n`);
    return error instanceof MigrationError ? 1 : 2;
  } finally {
    await dataSource.destroy();
  }
}

function report(io: CommandIo, format: string, url: string, dryRun: boolean, outcomes: MigrationOutcome[]): void {
  if (format === 'json') io.stdout(`${JSON.stringify({ database: redactDatabaseUrl(url), dryRun, migrations: outcomes }, null, 2)}\n`);
  else if (dryRun) io.stdout(outcomes.length === 0 ? 'nothing to migrate: the database is up to date\n' : `${outcomes.map((o) => `${o.module}: ${o.name} pending`).join('\n')}\n${outcomes.length} pending (dry run: nothing ran)\n`);
  else io.stdout(outcomes.length === 0 ? 'nothing to migrate: the database is up to date\n' : `${outcomes.filter((o) => o.status === 'applied').length} applied\n`);
}

function missingSqliteFile(url: string, io: CommandIo, cwd: string): boolean {
  try {
    const options = dataSourceOptionsFromUrl(url);
    return options.type === 'better-sqlite3' && options.database !== ':memory:' && !existsSync(resolve(cwd, options.database as string));
  } catch {
    return false; // open() reports the bad URL
  }
}

/** `modulith migrations generate MODULE NAME`; exit 0 written (or nothing to write), 2 bad usage or configuration. */
export async function runMigrationsCommand(args: string[], io: CommandIo): Promise<number> {
  return reportingProblems('migrations', io, () => generate(args, io));
}

async function generate(args: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'generate') return usage(io, sub === undefined ? 'give a subcommand: generate' : `unknown subcommand ${JSON.stringify(sub)} (known: generate)`);
  const parsed = parse(rest, { from: { type: 'string' } }, io);
  if (!parsed) return 2;
  const [name, title, ...extra] = parsed.positionals;
  if (name === undefined || title === undefined || extra.length > 0) return usage(io, 'migrations generate takes MODULE and NAME, e.g. `modulith migrations generate billing add-currency`');
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,79}$/.test(title)) return usage(io, `NAME ${JSON.stringify(title.slice(0, 60))}: letters, digits, '-' and '_', starting with a letter, at most 80 characters (e.g. add-currency)`);
  const cwd = io.cwd ?? process.cwd();
  const model = loadApplicationModules(cwd, { allowCycles: true });
  const module = requireModule(model, name);
  const url = io.env.DATABASE_URL || DEFAULT_DATABASE_URL;

  const entities = await moduleEntities(compiledModuleDir(cwd, module, parsed.values.from as string | undefined));
  if (entities.length === 0) {
    io.stderr(`modulith migrations generate: module ${name} declares no TypeORM entity (none in the build of ${module.dir}); nothing to generate\n`);
    return 2;
  }
  // The module's pending migrations first: the change is measured from where they leave the database.
  const plan = await findModuleMigrations(model, { modules: [name], moduleDir: (m) => runnableModuleDir(cwd, m, parsed.values.from as string | undefined) });
  const dataSource = await open(url, io, cwd, { entities });
  if (!dataSource) return 2;
  try {
    const runner = dataSource.createQueryRunner();
    await ensureHistoryTable(runner);
    const applied = await appliedMigrations(runner);
    await runner.release();
    const pending = plan.flatMap((p) => p.migrations).filter((m) => !applied.has(historyKey(m.module, m.name)));
    if (pending.length > 0) {
      io.stderr(`modulith migrations generate: ${name} has ${pending.length} migration(s) not applied to ${redactDatabaseUrl(url)} (${pending.map((m) => m.name).join(', ')}): run \`modulith migrate ${name}\` first, so the new one starts where they end\n`);
      return 2;
    }
    const connectionSchema = (dataSource.options as { schema?: string }).schema;
    const changes = await schemaChanges(dataSource, [connectionSchema, module.schema].filter((s): s is string => typeof s === 'string'));
    if (changes.up.length === 0) {
      io.stdout(`nothing to generate: the database already matches ${possessive(name)} entities (${entities.map((e) => e.name).join(', ')})\n`);
      return 0;
    }
    const timestamp = Date.now();
    const language = languageOf(cwd, module);
    const file = join(cwd, module.dir, MIGRATIONS_FOLDER, migrationFileName(title, timestamp, language === 'ts' ? 'ts' : 'js'));
    mkdirSync(dirname(file), { recursive: true });
    const className = migrationClassName(title, timestamp);
    writeFileSync(file, migrationSource({ className, module: name, changes, dialect: dataSource.options.type, language }), { flag: 'wx' });
    io.stdout(`wrote ${relative(cwd, file)} (${className}: ${changes.up.length} statement(s) for ${entities.map((e) => e.name).join(', ')}); review it, build, then \`modulith migrate ${name}\`\n`);
    return 0;
  } catch (error) {
    io.stderr(`modulith migrations generate: ${scrubDatabaseSecrets((error as Error).message, url)}\n`);
    return 2;
  } finally {
    await dataSource.destroy();
  }
}

/** The entity classes a module's (compiled) files export, migrations and tests left out. */
async function moduleEntities(dir: string): Promise<Function[]> {
  const files = walkFiles(dir, { skipDir: (name) => name === 'node_modules' || name === MIGRATIONS_FOLDER, file: (name) => /\.[mc]?js$/.test(name) && !/\.(spec|test)\.[mc]?js$/.test(name) });
  const exported = new Set<unknown>();
  for (const file of files) {
    const path = resolve(dir, file);
    for (const value of Object.values((await import(process.platform === 'win32' ? `file://${path}` : path)) as Record<string, unknown>)) exported.add(value);
  }
  const tables = getMetadataArgsStorage().tables.filter((t) => t.type === 'regular' || t.type === 'entity-child' || t.type === undefined);
  return [...new Set(tables.map((t) => t.target).filter((t): t is Function => typeof t === 'function' && exported.has(t)))];
}

async function open(url: string, io: CommandIo, cwd: string, options: { entities?: Function[] } = {}): Promise<DataSource | undefined> {
  let dataSourceOptions: DataSourceOptions;
  try {
    dataSourceOptions = dataSourceOptionsFromUrl(url, io.env.DATABASE_SCHEMA || undefined);
  } catch (error) {
    io.stderr(`modulith migrate: ${scrubDatabaseSecrets((error as Error).message, url)}\n`);
    return undefined;
  }
  if (dataSourceOptions.type === 'better-sqlite3' && dataSourceOptions.database !== ':memory:') {
    const file = resolve(cwd, dataSourceOptions.database as string);
    mkdirSync(dirname(file), { recursive: true });
    dataSourceOptions = { ...dataSourceOptions, database: file };
  }
  try {
    return await new DataSource({ ...dataSourceOptions, entities: options.entities ?? [], synchronize: false, logging: false } as DataSourceOptions).initialize();
  } catch (error) {
    io.stderr(`modulith migrate: cannot open DATABASE_URL ${redactDatabaseUrl(url)}: ${scrubDatabaseSecrets((error as Error).message, url)}\n`);
    return undefined;
  }
}

function requireModule(model: ApplicationModules, name: string): ApplicationModule {
  const module = isModuleName(name) ? model.get(name) : undefined;
  if (!module) {
    throw new MigrationUsageError(`no module named ${JSON.stringify(name.slice(0, 80))}; known: ${model.names.join(', ') || '(none)'}`);
  }
  return module;
}

/** TypeScript when the module's public API is; else the package's module type. */
function languageOf(cwd: string, module: ApplicationModule): 'ts' | 'esm' | 'cjs' {
  if (!module.entry || /\.[mc]?tsx?$/.test(module.entry)) return 'ts';
  if (module.entry.endsWith('.mjs')) return 'esm';
  if (module.entry.endsWith('.cjs')) return 'cjs';
  try {
    return (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { type?: string }).type === 'module' ? 'esm' : 'cjs';
  } catch {
    return 'cjs';
  }
}

/** Problems of the project (module.json, an unknown module, no build, a broken migration file): exit 2 with the message, never a stack trace. */
async function reportingProblems(command: string, io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const name = (error as Error)?.name;
    if (error instanceof MigrationUsageError || error instanceof MigrationError || name === 'ModuleModelError') {
      io.stderr(`modulith ${command}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** A usage problem (unknown module): exit 2 with the message, like a bad option. */
export class MigrationUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationUsageError';
  }
}

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, io: CommandIo): ReturnType<typeof parseArgs> | undefined {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    usage(io, (error as Error).message);
    return undefined;
  }
}

function usage(io: CommandIo, problem: string): number {
  io.stderr(`modulith: ${problem}\n\n${MIGRATE_USAGE}`);
  return 2;
}

function possessive(name: string): string {
  return `${name}'s`;
}

