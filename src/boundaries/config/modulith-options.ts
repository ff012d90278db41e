import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readProjectConfig } from '../../core/index.js';
import { escapeRegex, globToRegex } from './glob-to-regex.js';
import { readTsConfigInfo, type TsConfigInfo } from './tsconfig-files.js';

/**
 * Where modulith's own options ride on a dependency-cruiser configuration object. A symbol key:
 * dependency-cruiser validates its config against a closed JSON schema (unknown keys are
 * rejected), and its validator only walks string keys, so `depcruise --validate` never sees it
 * while `modulith check`, which imports the same file, reads it back.
 */
export const MODULITH_OPTIONS = Symbol.for('nest-modulith.options');

/** Set by `modulith check` while it imports a project's .dependency-cruiser.js, so the config describes that project even when the process runs elsewhere. */
export const ROOT_DIR_HINT = Symbol.for('nest-modulith.rootDir');

export interface ModulithRulesOptions {
  /** Project root. Default: the project `modulith check` is checking, else the current directory. */
  rootDir?: string;
  /** Modules roots, project-relative. Default: package.json#modulith.roots, else `modules`. */
  roots?: string[];
  /** tsconfig whose `paths` aliases and include/exclude apply; `false` for none. Default `tsconfig.json` when it exists. */
  tsConfig?: string | false;
  /** Folders scanned as app-shell code besides the modules roots. Default: the tsconfig's `include` (or every top-level folder). */
  include?: string[];
  /** Extra path patterns (tsconfig-style globs) never scanned. node_modules and the tsconfig's `exclude` always are. */
  exclude?: string[];
}

/** The options with every default filled in: what the check runs with. */
export interface ModulithOptions {
  rootDir: string;
  roots: string[];
  tsConfig: string | undefined;
  /** Folders scanned (modules roots first), project-relative. */
  scan: string[];
  /** Path regexes (project-relative) of files never scanned. */
  exclude: string[];
  /** tsconfig `paths` keys, e.g. `@app/*`. */
  pathAliases: string[];
  /** The tsconfig and the configs it extends (absolute): part of the cache key. */
  tsConfigFiles: string[];
}

export function resolveModulithOptions(input: ModulithRulesOptions = {}): ModulithOptions {
  const hinted = (globalThis as Record<symbol, unknown>)[ROOT_DIR_HINT];
  const rootDir = resolve(input.rootDir ?? (typeof hinted === 'string' ? hinted : process.cwd()));
  const roots = input.roots ?? readProjectConfig(rootDir).roots;
  // Present when anything is there: a broken symbolic link or a directory is reported, not ignored.
  const tsConfig = input.tsConfig === false ? undefined : (input.tsConfig ?? (lstatSync(resolve(rootDir, 'tsconfig.json'), { throwIfNoEntry: false }) ? 'tsconfig.json' : undefined));
  const ts: TsConfigInfo | undefined = tsConfig ? readTsConfigInfo(rootDir, tsConfig) : undefined;

  const exclude = ['(^|/)node_modules(/|$)', ...(ts?.exclude ?? []).map(globToRegex), ...(input.exclude ?? []).map(globToRegex)];
  const excluded = (path: string): boolean => exclude.some((re) => new RegExp(re).test(path));
  const included = input.include ?? includeFolders(rootDir, ts?.include);
  const scan = [...new Set([...roots, ...included])].filter((dir) => dir === '.' || !excluded(dir));
  return {
    rootDir,
    roots,
    tsConfig,
    scan,
    exclude: [...new Set(exclude)],
    pathAliases: ts?.pathAliases ?? [],
    tsConfigFiles: ts?.files ?? [],
  };
}

/** The top-level folders a tsconfig `include` reaches (`src/**\/*` -> `src`); all top-level folders when it has none. */
function includeFolders(rootDir: string, include: string[] | undefined): string[] {
  const firstSegments = (include ?? []).map((pattern) => pattern.split('/').filter((s) => s !== '.')[0] ?? '');
  if (include === undefined || firstSegments.some((first) => /[*?]/.test(first))) {
    return readdirSync(rootDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name)
      .sort();
  }
  const folders = firstSegments.filter((first) => first !== '' && first !== '..' && existsSync(resolve(rootDir, first)));
  return [...new Set(folders)].filter((f) => !/\.[cm]?[jt]sx?$/.test(f));
}

/** A regex matching any file inside one of `dirs` (project-relative). */
export function dirsRegex(dirs: readonly string[]): string {
  return `^(${dirs.map(escapeRegex).join('|')})/`;
}
