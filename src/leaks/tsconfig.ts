import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { ModuleModelError, readConfigFile } from '../core/index.js';

/** A project's compiler options as its tsconfig says (after `extends` chains and solution-style `references`). */
export interface ProjectCompilerOptions {
  options: ts.CompilerOptions;
  /** Absolute path of the tsconfig whose options these are, or undefined when the project has none. */
  configFile: string | undefined;
  /** Every config file that contributed (the file itself, its `extends` chain, a solution config that referenced it), absolute. */
  configFiles: string[];
  /**
   * When the project has no tsconfig: configs nearby that declare path aliases or a baseUrl
   * (a tsconfig.*.json at the root, the tsconfig(.base).json of a parent folder), project-relative.
   * Imports through them went unresolved: `--tsconfig` names one.
   */
  stray: string[];
}

/** The configs a project root may hold, in the order they are taken (an Nx repository root has only the base). */
const TSCONFIG_NAMES = ['tsconfig.json', 'tsconfig.base.json'];
/** Configs that compile tests or tooling: a solution's app config is preferred to them. */
const TEST_CONFIG = /(^|[.\-_])(spec|specs|test|tests|e2e|cypress|playwright|storybook|jest|vitest)([.\-_]|$)/i;

/** What a Nest project without a tsconfig.json gets: CommonJS-style resolution, decorators on. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  allowJs: false,
};

/**
 * Reads the compiler options of the project at `rootDir`: `tsconfig` when given (relative to
 * rootDir), else its `tsconfig.json`, else its `tsconfig.base.json` — the same discovery as the
 * boundary check. `extends` chains are followed (also into a monorepo base config, keeping
 * `paths`/baseUrl); a solution-style config (only `references`) stands for the app config it
 * references, since TypeScript takes no compilerOptions from references. A project without a
 * tsconfig gets sane defaults; a broken one is a ModuleModelError naming the file.
 */
export function readCompilerOptions(rootDir: string, tsconfig?: string): ProjectCompilerOptions {
  const absRoot = resolve(rootDir);
  const found = tsconfig ? (isAbsolute(tsconfig) ? tsconfig : join(absRoot, tsconfig)) : TSCONFIG_NAMES.map((n) => join(absRoot, n)).find((f) => lstatSync(f, { throwIfNoEntry: false }));
  if (!found) return { options: { ...DEFAULT_OPTIONS }, configFile: undefined, configFiles: [], stray: strayConfigs(absRoot) };
  const top = parseConfig(absRoot, found, tsconfig !== undefined);
  const app = top.solution ? appConfig(absRoot, top, new Set([found]), 0) : undefined;
  const chosen = app ?? top;
  const configFiles = [...new Set([...top.configFiles, ...(app ? app.configFiles : [])])];
  return { options: chosen.parsed.options, configFile: chosen.file, configFiles, stray: [] };
}

interface ParsedConfig {
  file: string;
  parsed: ts.ParsedCommandLine;
  configFiles: string[];
  /** Compiles nothing itself but references configs that do. */
  solution: boolean;
}

function parseConfig(absRoot: string, file: string, named: boolean): ParsedConfig {
  const shown = relative(absRoot, file).replace(/\\/g, '/') || file;
  // Read once here, so a directory, a broken link or a file without read permission is named as such (TypeScript says only "cannot read").
  const read = readConfigFile(file, shown, { expected: 'a tsconfig (a JSON file)' });
  if (read.kind === 'problem') throw new ModuleModelError([read.problem]);
  if (read.kind === 'missing') {
    throw new ModuleModelError([
      { file: shown, message: named ? 'tsconfig file does not exist' : 'is referenced but does not exist', fix: 'pass the path of an existing tsconfig.json (relative to the project root)' },
    ]);
  }
  // readJsonConfigFile (rather than readConfigFile) keeps the source file, on which the parser
  // records the `extends` chain it followed: the cache key needs those files too.
  const source = ts.readJsonConfigFile(file, ts.sys.readFile);
  const syntax = (source as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) {
    throw new ModuleModelError([{ file: shown, message: `cannot be read (${flatten(syntax[0])})`, fix: 'repair the tsconfig JSON' }]);
  }
  // Options only: a host that lists no files spares the walk over every `include`d folder.
  const host: ts.ParseConfigHost = { ...ts.sys, useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames, readDirectory: () => [] };
  const parsed = ts.parseJsonSourceFileConfigFileContent(source, host, dirname(file), undefined, file);
  const fatal = parsed.errors.filter(
    // "No inputs were found" / "files list is empty" are irrelevant here: we pick our own root files.
    (d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003 && d.code !== 18002,
  );
  if (fatal.length > 0) {
    throw new ModuleModelError(
      fatal.map((d) => ({
        file: d.file ? relative(absRoot, d.file.fileName).replace(/\\/g, '/') : shown,
        message: flatten(d),
        fix: 'repair the tsconfig (its "extends" chain must point at existing files)',
      })),
    );
  }
  const raw = (parsed.raw ?? {}) as { files?: unknown; include?: unknown };
  const empty = (value: unknown): boolean => Array.isArray(value) && value.length === 0;
  const compilesNothing = raw.include === undefined ? empty(raw.files) : empty(raw.include) && (raw.files === undefined || empty(raw.files));
  return { file, parsed, configFiles: [file, ...(source.extendedSourceFiles ?? [])], solution: compilesNothing && (parsed.projectReferences?.length ?? 0) > 0 };
}

/** The app config a solution-style config references: the first that compiles something and is no test config (nested solutions followed). */
function appConfig(absRoot: string, solution: ParsedConfig, seen: Set<string>, depth: number): ParsedConfig | undefined {
  const leaves: ParsedConfig[] = [];
  for (const reference of solution.parsed.projectReferences ?? []) {
    const file = ts.resolveProjectReferencePath(reference);
    if (seen.has(file)) continue;
    seen.add(file);
    const child = parseConfig(absRoot, file, false);
    const leaf = child.solution ? (depth < 4 ? appConfig(absRoot, child, seen, depth + 1) : undefined) : child;
    if (leaf) leaves.push(leaf);
  }
  return leaves.find((l) => !TEST_CONFIG.test(basename(l.file).replace(/^tsconfig\.?|\.json$/g, ''))) ?? leaves[0];
}

/** Configs nearby with path aliases or a baseUrl, for a project that has no tsconfig of its own. Never throws. */
function strayConfigs(absRoot: string): string[] {
  const candidates: string[] = [];
  try {
    for (const name of readdirSync(absRoot).sort()) if (/^tsconfig\..+\.json$/.test(name) && name !== 'tsconfig.base.json') candidates.push(join(absRoot, name));
  } catch {
    // an unreadable root is reported elsewhere
  }
  // Up to the repository root: a project that is one has no parent config of its own.
  const repositoryRoot = existsSync(join(absRoot, '.git'));
  for (let dir = dirname(absRoot), depth = 0; !repositoryRoot && depth < 8 && dir !== dirname(dir); dir = dirname(dir), depth++) {
    const found = TSCONFIG_NAMES.map((name) => join(dir, name)).filter((f) => existsSync(f));
    candidates.push(...found);
    if (found.length > 0 || existsSync(join(dir, '.git'))) break;
  }
  return candidates
    .filter((file) => {
      try {
        const { options } = parseConfig(absRoot, file, true).parsed;
        return options.paths !== undefined || options.baseUrl !== undefined;
      } catch {
        return false;
      }
    })
    .map((file) => relative(absRoot, file).replace(/\\/g, '/'));
}

/**
 * Do files in `dir` write relative imports with a `.js` extension? Only ESM under Node16/NodeNext
 * resolution must. There a `.ts` file is ESM when the nearest package.json above it says
 * `"type": "module"` (a NestJS 12 app); without it (a NestJS 11 `nest new` app: `nodenext` and no
 * "type") it is CommonJS, where extensionless relative imports resolve. Decides the import style
 * of generated files.
 */
export function usesJsExtensions(options: ts.CompilerOptions, dir: string): boolean {
  const resolution = options.moduleResolution ?? defaultResolution(options.module);
  if (resolution !== ts.ModuleResolutionKind.Node16 && resolution !== ts.ModuleResolutionKind.NodeNext) return false;
  return nearestPackageType(dir) === 'module';
}

/** The "type" of the nearest package.json at or above `dir` (undefined when none says). */
function nearestPackageType(dir: string): unknown {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const file = join(current, 'package.json');
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
      } catch {
        return undefined; // a broken package.json is reported where it is read as configuration
      }
    }
    if (dirname(current) === current) return undefined;
  }
}

function defaultResolution(module: ts.ModuleKind | undefined): ts.ModuleResolutionKind {
  // Node16, Node18, Node20 and NodeNext all resolve the Node16/NodeNext way.
  if (module !== undefined && module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext) return ts.ModuleResolutionKind.NodeNext;
  if (module === ts.ModuleKind.Preserve) return ts.ModuleResolutionKind.Bundler;
  return ts.ModuleResolutionKind.Node10;
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}
