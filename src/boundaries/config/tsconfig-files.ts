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
  /** `files` entries, project-relative, or undefined when no config in the chain sets them. */
  fileList: string[] | undefined;
  /** `exclude` patterns, project-relative (TypeScript's defaults when unset). */
  exclude: string[];
  /** Keys of compilerOptions.paths, e.g. `@app/*`: imports through them are project imports, not npm packages. */
  pathAliases: string[];
  /** compilerOptions.paths as written in the config that declares them (targets relative to `pathsBase`). */
  paths: Record<string, string[]> | undefined;
  /** Absolute folder `paths` targets are relative to: baseUrl when set, else the folder of the config declaring `paths` (TypeScript's rule). */
  pathsBase: string | undefined;
  /** Absolute compilerOptions.baseUrl (resolved against the config that sets it), when one of the chain sets it. */
  baseUrl: string | undefined;
  /** The configs (absolute) that declare `paths` and baseUrl: where a fix for a broken alias goes. */
  declaredIn: { paths: string | undefined; baseUrl: string | undefined };
  /** The config's own `references` (never inherited), as absolute config files. */
  references: string[];
  /** Compiles nothing itself (`"files": []`, `"include": []`) but references configs that do: a solution-style config. */
  solution: boolean;
}

interface RawTsConfig {
  extends?: string | string[];
  include?: string[];
  exclude?: string[];
  files?: string[];
  references?: Array<{ path: string }>;
  compilerOptions?: { paths?: Record<string, string[]>; outDir?: string; baseUrl?: string };
}

/**
 * Follows the `extends` chain of a tsconfig without loading TypeScript (the warm path of the check
 * must stay cheap). TypeScript's own semantics: include/exclude/files/outDir/baseUrl/paths are
 * inherited from the nearest config that sets them; include/exclude/files/outDir/baseUrl are
 * relative to that config's folder, `paths` to baseUrl or else to the folder of the config that
 * declares them; `references` are never inherited; `${configDir}` is the folder of the config read.
 */
export function readTsConfigInfo(rootDir: string, tsConfig: string): TsConfigInfo {
  const files: string[] = [];
  let include: string[] | undefined;
  let fileList: string[] | undefined;
  let exclude: string[] | undefined;
  let outDir: string | undefined;
  let paths: Record<string, string[]> | undefined;
  let pathsFile: string | undefined;
  let baseUrl: string | undefined;
  let baseUrlFile: string | undefined;
  let references: string[] = [];
  const top = resolve(rootDir, tsConfig);
  const topDir = dirname(top);
  const withConfigDir = (p: string): string => p.split('${configDir}').join(topDir);

  const visit = (absFile: string, referencedFrom: string | undefined): void => {
    if (files.includes(absFile)) return;
    // A broken symbolic link is not "missing": readJsonc names it as what it is.
    if (!existsSync(absFile) && !lstatSync(absFile, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new CheckConfigError([
        {
          file: referencedFrom ?? toProjectPath(rootDir, absFile),
          message: referencedFrom ? `extends '${toProjectPath(rootDir, absFile)}', which does not exist` : 'does not exist',
          fix: referencedFrom ? 'correct the "extends" path' : 'create it, or name an existing tsconfig (--tsconfig FILE, or modulithRules({ tsConfig }))',
        },
      ]);
    }
    files.push(absFile);
    const display = toProjectPath(rootDir, absFile);
    const raw = checkedTsConfig(readJsonc(absFile, display), display);
    const dir = dirname(absFile);
    const rebase = (patterns: string[]): string[] => patterns.map((p) => toProjectPath(rootDir, resolve(dir, withConfigDir(p))));
    if (absFile === top) references = (raw.references ?? []).map((r) => referencedConfig(resolve(dir, withConfigDir(r.path))));
    if (include === undefined && Array.isArray(raw.include)) include = rebase(raw.include);
    if (fileList === undefined && Array.isArray(raw.files)) fileList = rebase(raw.files);
    if (exclude === undefined && Array.isArray(raw.exclude)) exclude = rebase(raw.exclude);
    const options = raw.compilerOptions ?? {};
    if (outDir === undefined && options.outDir) outDir = toProjectPath(rootDir, resolve(dir, withConfigDir(options.outDir)));
    if (baseUrl === undefined && options.baseUrl !== undefined) {
      baseUrl = resolve(dir, withConfigDir(options.baseUrl));
      baseUrlFile = absFile;
    }
    if (paths === undefined && options.paths) {
      paths = options.paths;
      pathsFile = absFile;
    }
    const parents = raw.extends === undefined ? [] : Array.isArray(raw.extends) ? raw.extends : [raw.extends];
    // TypeScript applies an array of bases left to right, later ones winning: visit the last first.
    for (const parent of [...parents].reverse()) visit(resolveExtends(withConfigDir(parent), dir, display), display);
  };
  visit(top, undefined);

  const compilesNothing = (fileList?.length ?? 0) === 0 && (include !== undefined ? include.length === 0 : fileList !== undefined);
  return {
    files,
    include,
    fileList,
    exclude: exclude ?? ['node_modules', 'bower_components', 'jspm_packages', ...(outDir ? [outDir] : [])],
    pathAliases: Object.keys(paths ?? {}),
    paths: paths && Object.fromEntries(Object.entries(paths).map(([alias, targets]) => [alias, targets.map(withConfigDir)])),
    pathsBase: paths ? (baseUrl ?? dirname(pathsFile!)) : undefined,
    baseUrl,
    declaredIn: { paths: pathsFile, baseUrl: baseUrlFile },
    references,
    solution: compilesNothing && references.length > 0,
  };
}

/** A `references` entry names a config file or a folder holding a tsconfig.json. */
function referencedConfig(absPath: string): string {
  return lstatSync(absPath, { throwIfNoEntry: false })?.isDirectory() ? join(absPath, 'tsconfig.json') : absPath;
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
  if (config.files !== undefined && !strings(config.files)) throw wrong('files', 'an array of file paths', config.files);
  const references = config.references;
  if (references !== undefined && (!Array.isArray(references) || !references.every((r) => typeof r === 'object' && r !== null && typeof (r as { path?: unknown }).path === 'string'))) {
    throw wrong('references', 'an array of { "path": "..." } objects', references);
  }
  const options = config.compilerOptions;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) throw wrong('compilerOptions', 'an object', options);
  const { outDir, paths, baseUrl } = (options ?? {}) as Record<string, unknown>;
  if (outDir !== undefined && typeof outDir !== 'string') throw wrong('compilerOptions.outDir', 'a path', outDir);
  if (baseUrl !== undefined && typeof baseUrl !== 'string') throw wrong('compilerOptions.baseUrl', 'a path', baseUrl);
  if (paths !== undefined && (typeof paths !== 'object' || paths === null || Array.isArray(paths) || !Object.values(paths).every(strings))) {
    throw wrong('compilerOptions.paths', 'an object of alias patterns, each an array of paths', paths);
  }
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
