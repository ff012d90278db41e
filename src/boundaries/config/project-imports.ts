import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { strayTsConfigs, type ProjectTsConfig } from './discover-tsconfig.js';
import { toProjectPath } from './tsconfig-files.js';

/** How imports name project files in this project: what fix hints may suggest and what an unresolvable import was meant to be. */
export interface ProjectImports {
  /** The tsconfig imports resolve with (its compiler config), project-relative; undefined when the project has none. */
  tsConfig: string | undefined;
  /** Absolute compilerOptions.baseUrl, when set: `src/users` then names `<baseUrl>/src/users`. */
  baseUrl: string | undefined;
  /** compilerOptions.paths, in declaration order, with absolute targets. */
  paths: Array<{ alias: string; targets: string[] }>;
  /** The configs that declare `paths` and baseUrl, project-relative: where a broken alias is fixed. */
  declaredIn: { paths: string | undefined; baseUrl: string | undefined };
  /**
   * Aliases declared by tsconfigs the check did not use because it found none of its own (a
   * tsconfig.app.json, a parent folder's base config): imports through them resolve nowhere,
   * which is a blind spot to report, not a missing npm package to ignore.
   */
  unusedAliases: string[];
}

export function projectImports(rootDir: string, ts: ProjectTsConfig | undefined): ProjectImports {
  const compiler = ts?.compiler;
  const base = compiler?.pathsBase;
  return {
    tsConfig: ts?.compilerConfig,
    baseUrl: compiler?.baseUrl,
    paths: Object.entries(compiler?.paths ?? {}).map(([alias, targets]) => ({ alias, targets: targets.map((t) => resolve(base!, t)) })),
    declaredIn: {
      paths: compiler?.declaredIn.paths && toProjectPath(rootDir, compiler.declaredIn.paths),
      baseUrl: compiler?.declaredIn.baseUrl && toProjectPath(rootDir, compiler.declaredIn.baseUrl),
    },
    unusedAliases: ts ? [] : strayTsConfigs(rootDir).flatMap((stray) => [...stray.info.pathAliases, ...baseUrlAliases(stray.info.baseUrl)]),
  };
}

/**
 * With a baseUrl, `src/team/x` names `<baseUrl>/src/team/x`: every folder under baseUrl is
 * effectively an alias `src/*`, so an import through it that resolves nowhere is a broken project
 * import, not a missing npm package. node_modules and hidden folders are not such folders.
 */
export function baseUrlAliases(baseUrl: string | undefined): string[] {
  if (baseUrl === undefined) return [];
  try {
    return readdirSync(baseUrl, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => `${e.name}/*`)
      .sort();
  } catch {
    return []; // a baseUrl that does not exist resolves nothing; TypeScript reports it
  }
}

/** Shapes no npm package name can have (`@/x`, `~/x`, `#x`, `$lib/x`): whatever they were meant to name, it is no package. */
const ALIAS_SHAPE = /^(@\/|~|#|\$)/;

/**
 * Does an unresolvable specifier look like a path alias rather than a missing npm package (which
 * is the compiler's business)? One shaped like no package can be, or one through the aliases of a
 * tsconfig the check did not find.
 */
export function looksLikeAlias(specifier: string, imports: ProjectImports | undefined): boolean {
  if (ALIAS_SHAPE.test(specifier)) return true;
  return (imports?.unusedAliases ?? []).some((alias) => matchesAlias(specifier, alias));
}

/** Does `specifier` go through `alias` (`@app/*` takes `@app/users`, `@config` only itself)? */
export function matchesAlias(specifier: string, alias: string): boolean {
  const star = alias.indexOf('*');
  return star < 0 ? specifier === alias : specifier.startsWith(alias.slice(0, star));
}
