import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApplicationModule, ApplicationModules } from '../core/index.js';
import { describeMigration, MigrationError, sortMigrations, type MigrationClass, type ModuleMigration, type ModuleMigrations } from './module-migration.js';
import { migrationOrder } from './migration-order.js';

/** The folder of a module that holds its migrations. */
export const MIGRATIONS_FOLDER = 'migrations';

// Compiled (.js) or source (.ts under Jest/Vitest); never declarations, maps or tests.
const MIGRATION_FILE = /^(?!.*\.d\.[mc]?ts$)(?!.*\.(spec|test)\.)[^.].*\.(js|mjs|cjs|ts|mts|cts)$/;

/** The migration files of a module folder (absolute paths, sorted), [] when it has no migrations/ folder. */
export function migrationFiles(moduleDir: string): string[] {
  const dir = join(moduleDir, MIGRATIONS_FOLDER);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && MIGRATION_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
  // A build next to its sources (ts and js side by side) loads each migration once: the compiled one.
  const compiled = new Set(files.filter((f) => /\.[mc]?js$/.test(f)).map((f) => f.replace(/\.[mc]?js$/, '')));
  return files.filter((f) => !/\.[mc]?ts$/.test(f) || !compiled.has(f.replace(/\.[mc]?ts$/, ''))).map((f) => join(dir, f));
}

/** Every exported migration class of a file: a class whose prototype has `up`. */
export async function loadMigrationClasses(file: string, load: (file: string) => Promise<Record<string, unknown>> = importFile): Promise<MigrationClass[]> {
  let exported: Record<string, unknown>;
  try {
    exported = await load(file);
  } catch (error) {
    throw new MigrationError(`cannot load the migration file ${file}: ${(error as Error).message}`);
  }
  const classes = new Set<MigrationClass>();
  for (const value of Object.values(exported)) {
    if (typeof value === 'function' && typeof (value as { prototype?: { up?: unknown } }).prototype?.up === 'function') classes.add(value as MigrationClass);
  }
  return [...classes];
}

/**
 * The migrations of the given modules, in migration order: each module's `migrations/` folder in
 * its folder (`moduleDir`: by default the module's folder under the model's root; the CLI points
 * it into the build). Modules without a folder are left out. `framework` sets (the outbox's) run
 * before every module.
 */
export async function findModuleMigrations(
  model: ApplicationModules,
  options: {
    moduleDir?: (module: ApplicationModule) => string | undefined;
    modules?: readonly string[];
    framework?: readonly ModuleMigrations[];
    load?: (file: string) => Promise<Record<string, unknown>>;
  } = {},
): Promise<ModuleMigrations[]> {
  const moduleDir = options.moduleDir ?? ((module: ApplicationModule) => join(model.rootDir, module.dir));
  const plan: ModuleMigrations[] = [...(options.framework ?? [])];
  for (const name of migrationOrder(model, options.modules ?? model.names)) {
    const module = model.get(name)!;
    const dir = moduleDir(module);
    if (dir === undefined) continue;
    const list: ModuleMigration[] = [];
    for (const file of migrationFiles(dir)) {
      for (const migration of await loadMigrationClasses(file, options.load)) list.push(describeMigration(name, migration, file));
    }
    if (list.length === 0) continue;
    plan.push({ module: name, ...(module.schema ? { schema: module.schema } : {}), migrations: sortMigrations(list) });
  }
  return plan;
}

/**
 * An absolute path, not a file URL: the CommonJS build turns this import() into require(), which
 * takes paths only (ESM accepts absolute POSIX paths too; Windows needs the URL).
 */
async function importFile(file: string): Promise<Record<string, unknown>> {
  return (await import(process.platform === 'win32' ? pathToFileURL(file).href : file)) as Record<string, unknown>;
}
