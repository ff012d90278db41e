import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { CheckPlugin, RuleDescription } from '../boundaries/index.js';
import { compareByLocation, readJsonCache, writeCacheFile, type ApplicationModules, type Violation } from '../core/index.js';
import type { FindLeaksOptions } from '../leaks/index.js';

/** The rules symbol-level leak detection adds to the check (see src/leaks). */
export const LEAK_RULES: RuleDescription[] = [
  {
    id: 'reexports-undeclared',
    severity: 'error',
    summary: "a module's public API re-exports symbols of a module its module.json does not declare",
    why: "users of this module would depend on the other module without anyone declaring it",
  },
  {
    id: 'exposes-entity',
    severity: 'error',
    summary: "a module's public API exposes a TypeORM entity or repository (directly or in a signature)",
    why: 'a module owns its data: others get plain data through its facade, never its tables',
  },
];

/** Bump when the record's shape or the analysis' meaning changes. */
const VERSION = 2;
const CACHE_FILE = 'leaks.json';

/**
 * What the leak analysis found, per module, and what each result depends on: kept on disk
 * between runs (and in memory in watch mode), so a run re-analyses only the modules whose public
 * API, or a file it reaches, changed. Validated without TypeScript: a run that finds nothing to
 * re-analyse never loads the compiler.
 */
interface LeakIndex {
  version: number;
  /** The module model and the tsconfig option: any change re-analyses everything. */
  key: string;
  /** The tsconfig chain TypeScript read (absolute) and the sha1 of each. */
  configFiles: Record<string, string>;
  /** Files with global declarations: a change to one re-analyses everything. */
  globalFiles: string[];
  /** Every file a result depends on (project-relative) and its fingerprint (content and resolved imports). */
  files: Record<string, string>;
  modules: Record<string, { files: string[]; violations: Violation[] }>;
}

type Workspace = NonNullable<FindLeaksOptions['workspace']>;

/**
 * Symbol-level leak detection (TypeScript compiler over the public APIs) as a check plugin,
 * incremental: per module, its result is reused while neither its index.ts nor any file that
 * index reaches (nor the model, the tsconfig, a file with global declarations) changed. Keep one
 * instance for consecutive runs (watch mode): it then also keeps the parsed files in memory.
 */
export function leaksPlugin(options: { cache: boolean }): CheckPlugin {
  let memory: { rootDir: string; index: LeakIndex } | undefined;
  let workspace: Workspace | undefined;
  const check = async (model: ApplicationModules, context: Context, warming: boolean): Promise<Violation[]> => {
    const cacheFile = options.cache && context.cacheDir ? join(context.cacheDir, CACHE_FILE) : undefined;
    const key = modelKey(model, context.tsConfig);
    const fingerprints = fingerprinter(context);
    let index = memory?.rootDir === context.rootDir ? memory.index : cacheFile ? readJsonCache<LeakIndex>(cacheFile, (i) => typeof i.modules === 'object' && typeof i.files === 'object') : undefined;
    if (index && (index.version !== VERSION || index.key !== key || !configUnchanged(index.configFiles))) index = undefined;

    const eligible = model.modules.filter((m) => m.entry !== undefined && /\.(ts|mts|cts|tsx)$/.test(m.entry)).map((m) => m.name);
    const changed = new Set(index ? Object.keys(index.files).filter((f) => fingerprints(f) !== index!.files[f]) : []);
    // Warming up (watch mode) parses every public API once, so that the first saves are fast too.
    const everything = !index || index.globalFiles.some((f) => changed.has(f)) || (warming && !workspace?.program);
    const dirty = everything ? eligible : eligible.filter((name) => !index!.modules[name] || index!.modules[name].files.some((f) => changed.has(f)));

    if (index && dirty.length === 0 && Object.keys(index.modules).length === eligible.length) {
      memory = { rootDir: context.rootDir, index };
      return eligible.flatMap((name) => index!.modules[name].violations).sort(compareByLocation);
    }

    const { findLeaks } = await import('../leaks/index.js');
    if (everything) workspace = undefined; // a fresh start: nothing parsed before is worth keeping
    workspace ??= {} as Workspace;
    let details: Parameters<NonNullable<FindLeaksOptions['onAnalyzed']>>[0] | undefined;
    findLeaks(model, {
      ...(context.tsConfig ? { tsconfig: context.tsConfig } : {}),
      ...(everything ? {} : { modules: dirty, extraRoots: index!.globalFiles }),
      workspace: initialised(workspace),
      onAnalyzed: (found) => {
        details = found;
      },
    });
    const next: LeakIndex = {
      version: VERSION,
      key,
      configFiles: everything || !index ? hashFiles(details!.configFiles) : index.configFiles,
      globalFiles: [...new Set([...(everything || !index ? [] : index.globalFiles), ...details!.globalFiles])].sort(),
      files: {},
      modules: {},
    };
    for (const name of eligible) {
      const result = details!.modules.get(name) ?? index?.modules[name];
      if (result) next.modules[name] = result;
    }
    for (const { files } of Object.values(next.modules)) for (const file of files) next.files[file] ??= fingerprints(file);
    memory = { rootDir: context.rootDir, index: next };
    if (cacheFile) writeCacheFile(cacheFile, JSON.stringify(next));
    return eligible.flatMap((name) => next.modules[name]?.violations ?? []).sort(compareByLocation);
  };
  return {
    name: 'symbol-level leaks',
    rules: LEAK_RULES,
    run: (model, context) => check(model, context, false),
    async warmUp(model, context) {
      await check(model, context, true);
    },
  };
}

type Context = Parameters<CheckPlugin['run']>[1];

/** findLeaks fills a workspace it is given; this one starts empty (createAnalysisWorkspace's shape). */
function initialised(workspace: Workspace): Workspace {
  workspace.sourceFiles ??= new Map();
  workspace.imports ??= new Map();
  return workspace;
}

function modelKey(model: ApplicationModules, tsConfig: string | undefined): string {
  return sha1(
    JSON.stringify({
      version: VERSION,
      tsConfig,
      roots: model.roots,
      modules: model.modules.map((m) => [m.name, m.dir, m.entry, m.manifest, [...m.dependsOn], m.shared]),
    }),
  );
}

/** A file's fingerprint: its content hash and where its imports resolve (from the extraction when it was scanned). */
function fingerprinter(context: Context): (path: string) => string {
  const scanned = new Map(context.files.map((f) => [f.path, f]));
  const known = new Map<string, string>();
  return (path) => {
    let print = known.get(path);
    if (print === undefined) {
      const file = scanned.get(path);
      if (file) {
        print = `${file.hash}|${file.dependencies.map((d) => (d.couldNotResolve ? `!${d.specifier}` : d.resolved)).join(',')}`;
      } else {
        const absolute = isAbsolute(path) ? path : resolve(context.rootDir, path);
        try {
          print = sha1(readFileSync(absolute, 'utf8'));
        } catch {
          print = 'missing';
        }
      }
      known.set(path, print);
    }
    return print;
  };
}

function configUnchanged(files: Record<string, string>): boolean {
  return Object.entries(files).every(([file, digest]) => hashFile(file) === digest);
}

function hashFiles(files: readonly string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, hashFile(f)]));
}

function hashFile(file: string): string {
  try {
    return sha1(readFileSync(file, 'utf8'));
  } catch {
    return 'missing';
  }
}




function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
