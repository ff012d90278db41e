import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { walkFiles, type ApplicationModule } from '../core/index.js';
import { migrationFiles, MIGRATIONS_FOLDER } from './find-migrations.js';
import { MigrationError } from './module-migration.js';

/**
 * The compiled folder of a module whose sources are TypeScript (Node cannot import those):
 * `<from>/<module dir>` (this repository: dist/modules/billing) or `<from>/<module dir without its
 * first folder>` (a Nest app: src/modules/billing -> dist/modules/billing); the first that holds
 * JavaScript. A module written in JavaScript is its own folder. MigrationError when there is no build.
 */
export function compiledModuleDir(rootDir: string, module: ApplicationModule, from = 'dist'): string {
  const source = join(rootDir, module.dir);
  if (!hasFiles(source, /\.[mc]?ts$/, /\.d\.[mc]?ts$/)) return source;
  const build = resolve(rootDir, from);
  const candidates = [join(build, module.dir), join(build, module.dir.split('/').slice(1).join('/'))];
  const compiled = candidates.find((dir) => hasFiles(dir, /\.[mc]?js$/));
  if (!compiled) {
    throw new MigrationError(
      `${module.dir} is TypeScript, and the build has no compiled copy of it (looked in ${candidates.map((c) => relativeTo(rootDir, c)).join(' and ')}): build first (npm run build), or pass --from DIR naming the build's folder`,
    );
  }
  return compiled;
}

/**
 * Where the command line runs a module's migrations from: its compiled folder (see
 * compiledModuleDir); undefined when it has none. A build that misses one of the source's
 * migrations is refused: it is older than the code.
 */
export function runnableModuleDir(rootDir: string, module: ApplicationModule, from = 'dist'): string | undefined {
  const sourceFiles = migrationFiles(join(rootDir, module.dir));
  if (sourceFiles.length === 0) return undefined;
  const dir = compiledModuleDir(rootDir, module, from);
  const stem = (file: string) => basename(file).replace(/\.[mc]?[jt]s$/, '');
  const built = new Set(migrationFiles(dir).map(stem));
  const missing = sourceFiles.map(stem).filter((s) => !built.has(s));
  if (missing.length > 0) {
    throw new MigrationError(`the build in ${relativeTo(rootDir, join(dir, MIGRATIONS_FOLDER))} is older than ${module.dir}/${MIGRATIONS_FOLDER}: it lacks ${missing.join(', ')}; build again (npm run build)`);
  }
  return dir;
}

function hasFiles(dir: string, pattern: RegExp, except?: RegExp): boolean {
  return existsSync(dir) && walkFiles(dir, { skipDir: (name) => name === 'node_modules', file: (name) => pattern.test(name) && !except?.test(name) }).length > 0;
}

export function relativeTo(rootDir: string, path: string): string {
  return path.startsWith(`${rootDir}/`) ? path.slice(rootDir.length + 1) : path;
}
