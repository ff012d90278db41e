import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { ModuleModelError, readConfigFile } from '../core/index.js';

/** A project's compiler options as its tsconfig.json says (after `extends` chains). */
export interface ProjectCompilerOptions {
  options: ts.CompilerOptions;
  /** Absolute path of the tsconfig file read, or undefined when the project has none. */
  configFile: string | undefined;
  /** Every config file that contributed (the file itself and its `extends` chain), absolute. */
  configFiles: string[];
}

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
 * Reads the compiler options of the project at `rootDir` (its `tsconfig.json`, or `tsconfig` when
 * given, relative to rootDir), following `extends` chains (also into a monorepo base config) and
 * keeping `paths`/`baseUrl`. A project without a tsconfig gets sane defaults; a broken one is a
 * ModuleModelError naming the file.
 */
export function readCompilerOptions(rootDir: string, tsconfig?: string): ProjectCompilerOptions {
  const absRoot = resolve(rootDir);
  const file = tsconfig ? (isAbsolute(tsconfig) ? tsconfig : join(absRoot, tsconfig)) : join(absRoot, 'tsconfig.json');
  const shown = relative(absRoot, file).replace(/\\/g, '/') || file;
  // Read once here, so a directory, a broken link or a file without read permission is named as such (TypeScript says only "cannot read").
  const found = readConfigFile(file, shown, { expected: 'a tsconfig (a JSON file)' });
  if (found.kind === 'problem') throw new ModuleModelError([found.problem]);
  if (found.kind === 'missing') {
    if (tsconfig) {
      throw new ModuleModelError([{ file: shown, message: 'tsconfig file does not exist', fix: 'pass the path of an existing tsconfig.json (relative to the project root)' }]);
    }
    return { options: { ...DEFAULT_OPTIONS }, configFile: undefined, configFiles: [] };
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
    // "No inputs were found" is irrelevant here: we pick our own root files.
    (d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003,
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
  const configFiles = [file, ...(source.extendedSourceFiles ?? [])];
  return { options: parsed.options, configFile: file, configFiles };
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
