import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckConfigError } from './check-config-error.js';
import { readTsConfigInfo, toProjectPath, type TsConfigInfo } from './tsconfig-files.js';

/** The configs a project root may hold, in the order the check takes them (an Nx repository has only the base). */
export const TSCONFIG_NAMES = ['tsconfig.json', 'tsconfig.base.json'];

/** Configs that compile tests or tooling, not the app: a solution's app config is preferred to them. */
const TEST_CONFIG = /(^|[.\-_])(spec|specs|test|tests|e2e|cypress|playwright|storybook|jest|vitest)([.\-_]|$)/i;
/** How deep solution-style configs may reference other solution-style configs. */
const MAX_REFERENCE_DEPTH = 4;

/** The tsconfig a project's imports resolve with, after discovery. */
export interface ProjectTsConfig {
  /** The config named (--tsconfig, modulithRules({ tsConfig })) or found at the root, project-relative. */
  file: string;
  /**
   * The config whose compilerOptions resolve imports, project-relative: `file` itself, or, when
   * `file` is solution-style (it only `references` others), the app config it references (the
   * first that is not a test config): TypeScript does not follow references for compilerOptions,
   * so neither baseUrl nor `paths` of the app would otherwise apply.
   */
  compilerConfig: string;
  /** extends chain of the compiler config: baseUrl and `paths`. */
  compiler: TsConfigInfo;
  /** `include` patterns of every config that compiles something (a solution's references together), project-relative; undefined: everything. */
  include: string[] | undefined;
  /** `exclude` patterns every one of those configs shares, project-relative. */
  exclude: string[];
  /** Every config read (absolute): part of the cache key. */
  files: string[];
}

/**
 * Finds and reads the tsconfig of the project at `rootDir`: `named` when given, else
 * `tsconfig.json`, else `tsconfig.base.json` (an Nx repository root). A solution-style config is
 * followed through its `references` to the configs that compile something. Undefined when the
 * project has none. A named config that does not exist, or a reference that does not, is a
 * CheckConfigError naming it.
 */
export function discoverTsConfig(rootDir: string, named?: string): ProjectTsConfig | undefined {
  const file = named ?? findTsConfigFile(rootDir);
  if (file === undefined) return undefined;
  const top = readTsConfigInfo(rootDir, file);
  if (!top.solution) {
    return { file, compilerConfig: file, compiler: top, include: top.include, exclude: top.exclude, files: top.files };
  }
  const files = [...top.files];
  const leaves: Array<{ file: string; info: TsConfigInfo }> = [];
  const seen = new Set<string>([top.files[0]]);
  const visit = (info: TsConfigInfo, from: string, depth: number): void => {
    for (const reference of info.references) {
      if (seen.has(reference)) continue;
      seen.add(reference);
      if (!existsSync(reference) && !lstatSync(reference, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new CheckConfigError([
          { file: from, message: `references '${toProjectPath(rootDir, reference)}', which does not exist`, fix: 'correct the "references" path (TypeScript rejects it too)' },
        ]);
      }
      const referenced = toProjectPath(rootDir, reference);
      const child = readTsConfigInfo(rootDir, referenced);
      for (const f of child.files) if (!files.includes(f)) files.push(f);
      if (!child.solution) leaves.push({ file: referenced, info: child });
      else if (depth < MAX_REFERENCE_DEPTH) visit(child, referenced, depth + 1);
    }
  };
  visit(top, file, 1);
  if (leaves.length === 0) return { file, compilerConfig: file, compiler: top, include: top.include, exclude: top.exclude, files };

  const app = leaves.find((l) => !TEST_CONFIG.test(basename(l.file).replace(/^tsconfig\.?|\.json$/g, ''))) ?? leaves[0];
  const includes = leaves.map((l) => l.info.include ?? [everythingUnder(rootDir, l.info.files[0])]);
  return {
    file,
    compilerConfig: app.file,
    compiler: app.info,
    include: [...new Set(includes.flat())],
    exclude: leaves.map((l) => l.info.exclude).reduce((shared, next) => shared.filter((p) => next.includes(p))),
    files,
  };
}

/** `tsconfig.json`, else `tsconfig.base.json`, when present at the root (a broken link or a directory counts: it is reported, not skipped). */
export function findTsConfigFile(rootDir: string): string | undefined {
  return TSCONFIG_NAMES.find((name) => lstatSync(join(rootDir, name), { throwIfNoEntry: false }));
}

/** A config that sets neither `include` nor `files` compiles everything under its folder. */
function everythingUnder(rootDir: string, absConfig: string): string {
  const dir = toProjectPath(rootDir, dirname(absConfig));
  return dir === '.' ? '**/*' : `${dir}/**/*`;
}

/** A tsconfig the discovery did not take that declares path aliases or a baseUrl: the check cannot resolve imports through them. */
export interface StrayTsConfig {
  /** Project-relative (`../../tsconfig.base.json` for one in a parent folder). */
  file: string;
  /** Its `paths` keys, or `baseUrl` when it has only that. */
  aliases: string[];
  info: TsConfigInfo;
}

/**
 * Configs with path aliases the check would miss because the project root has no tsconfig.json
 * or tsconfig.base.json: `tsconfig.*.json` files at the root (tsconfig.app.json, tsconfig.build.json)
 * and the tsconfig(.base).json of parent folders (a sub-project of a monorepo). Never throws:
 * a broken candidate is simply no candidate.
 */
export function strayTsConfigs(rootDir: string): StrayTsConfig[] {
  const candidates: string[] = [];
  try {
    for (const name of readdirSync(rootDir).sort()) if (/^tsconfig\..+\.json$/.test(name) && name !== 'tsconfig.base.json') candidates.push(join(rootDir, name));
  } catch {
    // an unreadable root is reported elsewhere
  }
  // Up to the repository root: a project that is one has no parent config of its own.
  const repositoryRoot = existsSync(join(rootDir, '.git'));
  for (let dir = dirname(resolve(rootDir)), depth = 0; !repositoryRoot && depth < 8 && dir !== dirname(dir); dir = dirname(dir), depth++) {
    const found = TSCONFIG_NAMES.map((name) => join(dir, name)).filter((f) => existsSync(f));
    candidates.push(...found);
    if (found.length > 0 || existsSync(join(dir, '.git'))) break; // the nearest one above, or the repository root
  }
  const stray: StrayTsConfig[] = [];
  for (const candidate of candidates) {
    try {
      const info = readTsConfigInfo(rootDir, toProjectPath(rootDir, candidate));
      const aliases = info.pathAliases.length > 0 ? info.pathAliases : info.baseUrl !== undefined ? ['baseUrl'] : [];
      if (aliases.length > 0) stray.push({ file: toProjectPath(rootDir, candidate), aliases, info });
    } catch {
      // not a usable tsconfig: nothing to suggest
    }
  }
  return stray;
}
