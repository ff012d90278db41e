import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readProjectConfig } from '../../core/index.js';
import { escapeRegex, globToRegex } from './glob-to-regex.js';
import { discoverTsConfig, type ProjectTsConfig } from './discover-tsconfig.js';
import { baseUrlAliases, projectImports, type ProjectImports } from './project-imports.js';

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
  /**
   * tsconfig whose baseUrl, `paths` aliases and include/exclude apply; `false` for none. Default
   * `tsconfig.json`, else `tsconfig.base.json`, when it exists. A solution-style config (only
   * `references`) stands for the configs it references.
   */
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
  /** The tsconfig whose compilerOptions resolve imports (for a solution-style config, the app config it references), project-relative. */
  tsConfig: string | undefined;
  /** Folders scanned (modules roots first), project-relative. */
  scan: string[];
  /** Path regexes (project-relative) of files never scanned. */
  exclude: string[];
  /** tsconfig `paths` keys, e.g. `@app/*`, and with a baseUrl one `<folder>/*` per folder under it: imports through them name project files. */
  pathAliases: string[];
  /** The tsconfig and the configs it extends or references (absolute): part of the cache key. */
  tsConfigFiles: string[];
  /** How imports name project files (for fix hints). Absent in options made by an older nest-modulith. */
  imports?: ProjectImports;
  /** What modulithRules() was given, so `--tsconfig` can re-resolve the options with everything else kept. */
  given?: Omit<ModulithRulesOptions, 'rootDir'>;
}

export function resolveModulithOptions(input: ModulithRulesOptions = {}): ModulithOptions {
  const hinted = (globalThis as Record<symbol, unknown>)[ROOT_DIR_HINT];
  const rootDir = resolve(input.rootDir ?? (typeof hinted === 'string' ? hinted : process.cwd()));
  const roots = input.roots ?? readProjectConfig(rootDir).roots;
  const ts: ProjectTsConfig | undefined = input.tsConfig === false ? undefined : discoverTsConfig(rootDir, input.tsConfig);

  const exclude = ['(^|/)node_modules(/|$)', ...(ts?.exclude ?? []).map(globToRegex), ...(input.exclude ?? []).map(globToRegex)];
  const excluded = (path: string): boolean => exclude.some((re) => new RegExp(re).test(path));
  const included = input.include ?? includeFolders(rootDir, ts?.include);
  const scan = [...new Set([...roots, ...included])].filter((dir) => dir === '.' || !excluded(dir));
  const { rootDir: _, ...given } = input;
  return {
    rootDir,
    roots,
    tsConfig: ts?.compilerConfig,
    scan,
    exclude: [...new Set(exclude)],
    pathAliases: [...new Set([...(ts?.compiler.pathAliases ?? []), ...baseUrlAliases(ts?.compiler.baseUrl)])],
    tsConfigFiles: ts?.files ?? [],
    imports: projectImports(rootDir, ts),
    given,
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
