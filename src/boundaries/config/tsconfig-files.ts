import { existsSync, lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { CheckConfigError } from './check-config-error.js';
import { readJsonc } from './read-jsonc.js';
import { describeJson } from '../../core/index.js';

/** What the check needs from a tsconfig and the chain of configs it `extends`. */
export interface TsConfigInfo {
  /** Absolute paths of the tsconfig and every config it extends, nearest first: the cache key hashes them. */
  files: string[];
  /** `include` patterns, project-relative, or undefined when no config in the chain sets them (TypeScript then takes everything). */
  include: string[] | undefined;
  /** `exclude` patterns, project-relative (TypeScript's defaults when unset). */
  exclude: string[];
  /** Keys of compilerOptions.paths, e.g. `@app/*`: imports through them are project imports, not npm packages. */
  pathAliases: string[];
}

interface RawTsConfig {
  extends?: string | string[];
  include?: string[];
  exclude?: string[];
  compilerOptions?: { paths?: Record<string, string[]>; outDir?: string };
}

/**
 * Follows the `extends` chain of a tsconfig without loading TypeScript (the warm path of the check
 * must stay cheap). TypeScript's own semantics: include/exclude/outDir are inherited from the
 * nearest config that sets them and are relative to that config's folder.
 */
export function readTsConfigInfo(rootDir: string, tsConfig: string): TsConfigInfo {
  const files: string[] = [];
  let include: string[] | undefined;
  let exclude: string[] | undefined;
  let outDir: string | undefined;
  let paths: Record<string, string[]> | undefined;

  const visit = (absFile: string, referencedFrom: string | undefined): void => {
    if (files.includes(absFile)) return;
    // A broken symbolic link is not "missing": readJsonc names it as what it is.
    if (!existsSync(absFile) && !lstatSync(absFile, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new CheckConfigError([
        {
          file: referencedFrom ?? toProjectPath(rootDir, absFile),
          message: referencedFrom ? `extends '${toProjectPath(rootDir, absFile)}', which does not exist` : 'does not exist',
          fix: referencedFrom ? 'correct the "extends" path' : 'create it, or pass modulithRules({ tsConfig: false }) for a project without one',
        },
      ]);
    }
    files.push(absFile);
    const display = toProjectPath(rootDir, absFile);
    const raw = checkedTsConfig(readJsonc(absFile, display), display);
    const dir = dirname(absFile);
    const rebase = (patterns: string[]): string[] => patterns.map((p) => toProjectPath(rootDir, resolve(dir, p)));
    if (include === undefined && Array.isArray(raw.include)) include = rebase(raw.include);
    if (exclude === undefined && Array.isArray(raw.exclude)) exclude = rebase(raw.exclude);
    if (outDir === undefined && raw.compilerOptions?.outDir) outDir = toProjectPath(rootDir, resolve(dir, raw.compilerOptions.outDir));
    if (paths === undefined && raw.compilerOptions?.paths) paths = raw.compilerOptions.paths;
    const parents = raw.extends === undefined ? [] : Array.isArray(raw.extends) ? raw.extends : [raw.extends];
    // TypeScript applies an array of bases left to right, later ones winning: visit the last first.
    for (const parent of [...parents].reverse()) visit(resolveExtends(parent, dir, display), display);
  };
  visit(resolve(rootDir, tsConfig), undefined);

  return {
    files,
    include,
    exclude: exclude ?? ['node_modules', 'bower_components', 'jspm_packages', ...(outDir ? [outDir] : [])],
    pathAliases: Object.keys(paths ?? {}),
  };
}

/** The parts of a tsconfig the check reads, each of the type TypeScript requires; anything else is a CheckConfigError naming the key. */
function checkedTsConfig(raw: unknown, file: string): RawTsConfig {
  const wrong = (key: string, expected: string, value: unknown): CheckConfigError =>
    new CheckConfigError([{ file, message: `"${key}" must be ${expected} (it is ${describeJson(value)})`, fix: `correct "${key}" (TypeScript rejects this tsconfig too)` }]);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CheckConfigError([{ file, message: `is ${describeJson(raw)}; a tsconfig must be a JSON object`, fix: 'write a tsconfig object, e.g. { "compilerOptions": {} }' }]);
  }
  const config = raw as Record<string, unknown>;
  const strings = (value: unknown): boolean => Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (config.extends !== undefined && typeof config.extends !== 'string' && !strings(config.extends)) throw wrong('extends', 'a path or an array of paths', config.extends);
  if (config.include !== undefined && !strings(config.include)) throw wrong('include', 'an array of path patterns', config.include);
  if (config.exclude !== undefined && !strings(config.exclude)) throw wrong('exclude', 'an array of path patterns', config.exclude);
  const options = config.compilerOptions;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) throw wrong('compilerOptions', 'an object', options);
  const { outDir, paths } = (options ?? {}) as Record<string, unknown>;
  if (outDir !== undefined && typeof outDir !== 'string') throw wrong('compilerOptions.outDir', 'a path', outDir);
  if (paths !== undefined && (typeof paths !== 'object' || paths === null || Array.isArray(paths))) throw wrong('compilerOptions.paths', 'an object of alias patterns', paths);
  return config as RawTsConfig;
}

function resolveExtends(specifier: string, fromDir: string, referencedFrom: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const file = resolve(fromDir, specifier);
    return existsSync(file) || file.endsWith('.json') ? file : `${file}.json`;
  }
  // A package (e.g. @tsconfig/node20/tsconfig.json), resolved the way Node would from the config's folder.
  const require = createRequire(join(fromDir, 'tsconfig.json'));
  for (const candidate of [specifier, `${specifier}.json`, `${specifier}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next spelling
    }
  }
  throw new CheckConfigError([
    { file: referencedFrom, message: `extends '${specifier}', which cannot be resolved`, fix: 'install the package or correct the "extends" value' },
  ]);
}

export function toProjectPath(rootDir: string, absPath: string): string {
  const rel = relative(rootDir, absPath).split('\\').join('/');
  return rel === '' ? '.' : rel;
}
