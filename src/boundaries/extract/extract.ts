import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import type { ICruiseOptions } from 'dependency-cruiser';
import type { CheckConfig } from '../config/load-config.js';
import { cruiseFiles } from './cruise-files.js';
import type { ExtractedDependency, ExtractedFile, Extraction } from './extracted.js';
import { cacheKey, contentHash, defaultCacheFile, readCache, writeCache, type CachedFile, type ExtractionCache } from './extraction-cache.js';
import { listSources } from './list-sources.js';
import { loadTypeScript } from './load-typescript.js';
import { lineOf } from './locate-lines.js';
import { isProjectFile } from './project-file.js';
import { canReadRaw, rawDependencies, reuseResolved, type RawOptions } from './raw-dependencies.js';
import { isPathSpecifier } from './specifiers.js';

export interface ExtractOptions {
  /** false: neither read nor write the cache. Default true. */
  cache?: boolean;
  /** Cache file; default node_modules/.cache/modulith/extraction.json (`.modulith-cache/` without node_modules). */
  cacheFile?: string;
  onProgress?: (message: string) => void;
}

/** What changed since the previous extraction (all project-relative paths). */
export interface ExtractionDelta {
  added: string[];
  deleted: string[];
  /** Files whose content changed. */
  changed: string[];
  /** Files whose resolved dependencies changed (added files included, deleted ones not). */
  dependenciesChanged: string[];
  /** Changed files whose imports stayed the same, so their resolved dependencies were kept without dependency-cruiser. */
  reused: string[];
}

/** The in-memory state of an incremental extraction: one record per scanned file. */
export interface ExtractionState {
  key: string;
  scannedAt: number;
  files: Map<string, CachedFile>;
}

/** Modification times this close to a scan are not trusted: file systems stamp with a coarse clock. */
const RACY_MS = 2000;

/**
 * Stage 1 of the check, one-shot: every scanned file with its resolved dependencies, reusing the
 * cache file of the previous run (see `extractIncrementally`).
 */
export async function extract(config: CheckConfig, options: ExtractOptions = {}): Promise<Extraction & { delta: ExtractionDelta }> {
  const { rootDir } = config.options;
  // A user's own rules can look at the whole graph (cycles, reachability): no per-file reuse then.
  const cacheFile = options.cache === false || config.extraRules ? undefined : (options.cacheFile ?? defaultCacheFile(rootDir));
  const key = extractionKey(config);
  const cached = cacheFile ? readCache(cacheFile, key) : undefined;
  const previous: ExtractionState | undefined = cached ? { key, scannedAt: cached.scannedAt, files: new Map(Object.entries(cached.files)) } : undefined;
  const { extraction, state, dirty } = await extractIncrementally(config, previous, { onProgress: options.onProgress, reuse: cacheFile !== undefined });
  if (cacheFile && (dirty || !cached)) {
    const next: ExtractionCache = { key, scannedAt: state.scannedAt, files: Object.fromEntries(state.files) };
    writeCache(cacheFile, next);
  }
  if (!cacheFile) extraction.stats.cache = 'off';
  return extraction;
}

/** Everything besides file contents that shapes the extraction. */
export function extractionKey(config: CheckConfig): string {
  return cacheKey({
    options: { scan: config.options.scan, exclude: config.options.exclude, tsConfig: config.options.tsConfig, cruise: config.cruiseOptions },
    files: [...config.options.tsConfigFiles, join(config.options.rootDir, 'package.json')],
  });
}

/**
 * Incremental extraction from a previous state (undefined: cold). Files are listed and stat()ed;
 * only those whose size or mtime moved are read and hashed. Then re-extracted with
 * dependency-cruiser: new files, changed files whose imports changed (a changed file whose raw
 * imports are the same keeps its resolved dependencies: resolution depends on the specifier and
 * the file system only), and files whose imports could now resolve differently because files
 * appeared or disappeared. The result is always the one a cold run would produce.
 */
export async function extractIncrementally(
  config: CheckConfig,
  previous: ExtractionState | undefined,
  options: { onProgress?: (message: string) => void; reuse?: boolean } = {},
): Promise<{ extraction: Extraction & { delta: ExtractionDelta }; state: ExtractionState; dirty: boolean }> {
  const { rootDir } = config.options;
  const progress = options.onProgress ?? (() => undefined);
  const key = extractionKey(config);
  const usable = options.reuse !== false && !config.extraRules && previous?.key === key ? previous : undefined;
  const scannedAt = Date.now();
  const paths = listSources(rootDir, config.options.scan, [...config.options.exclude, ...excludePatterns(config.cruiseOptions)]);
  progress(`hashing ${paths.length} files`);

  const texts = new Map<string, string>();
  const records = new Map<string, { hash: string; size: number; mtimeMs: number }>();
  let reread = false;
  for (const path of paths) {
    const absolute = join(rootDir, path);
    const old = usable?.files.get(path);
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (!stat) continue; // vanished between listing and reading
    if (old && old.size === stat.size && old.mtimeMs === stat.mtimeMs && old.mtimeMs < usable!.scannedAt - RACY_MS) {
      records.set(path, { hash: old.hash, size: stat.size, mtimeMs: stat.mtimeMs });
      continue;
    }
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // vanished between listing and reading
      throw error; // unreadable: named by the command, with the fix
    }
    texts.set(path, text);
    reread = true;
    records.set(path, { hash: contentHash(text), size: stat.size, mtimeMs: stat.mtimeMs });
  }
  const current = [...records.keys()];
  const currentSet = new Set(current);

  const delta: ExtractionDelta = { added: [], deleted: [], changed: [], dependenciesChanged: [], reused: [] };
  const kept = new Map<string, Omit<ExtractedDependency, 'line'>[]>();
  let stale: string[];
  if (!usable) {
    stale = current;
    delta.added = [...current];
  } else {
    delta.added = current.filter((p) => !usable.files.has(p));
    delta.deleted = [...usable.files.keys()].filter((p) => !currentSet.has(p));
    delta.changed = current.filter((p) => usable.files.has(p) && usable.files.get(p)!.hash !== records.get(p)!.hash);
    const affected = staleFiles(current, usable, new Set([...delta.added, ...delta.deleted]), rootDir, config.options.pathAliases);
    const staleSet = new Set([...delta.added, ...affected]);
    const changed = delta.changed.filter((p) => !staleSet.has(p));
    if (changed.length > 0) {
      const raw = rawOptions(config.cruiseOptions);
      const ts = raw && changed.some(canReadRaw) ? await loadTypeScript() : undefined;
      const major = ts ? Number(ts.version.split('.')[0]) : 0;
      for (const path of changed) {
        let dependencies: Omit<ExtractedDependency, 'line'>[] | undefined;
        if (ts && raw && major >= 2 && major < 7 && canReadRaw(path)) {
          try {
            dependencies = reuseResolved(rawDependencies(ts, resolve(rootDir, path), texts.get(path)!, raw), usable.files.get(path)!.dependencies);
          } catch {
            dependencies = undefined; // the parser gave up on this text: let dependency-cruiser decide
          }
        }
        if (dependencies) {
          kept.set(path, dependencies);
          delta.reused.push(path);
        } else {
          staleSet.add(path);
        }
      }
    }
    stale = current.filter((p) => staleSet.has(p));
  }

  progress(`extracting dependencies of ${stale.length} file${stale.length === 1 ? '' : 's'}`);
  const cruised = await cruiseFiles(stale, {
    rootDir,
    cruiseOptions: config.cruiseOptions,
    tsConfig: config.options.tsConfig,
    extraRules: config.extraRules,
    configFile: config.file ?? 'package.json',
  });

  const reextracted = new Set(stale);
  const textOf = (path: string): string => {
    let text = texts.get(path);
    if (text === undefined) {
      text = readFileSync(join(rootDir, path), 'utf8');
      texts.set(path, text);
    }
    return text;
  };
  const withLines = (path: string, dependencies: Omit<ExtractedDependency, 'line'>[]): ExtractedDependency[] =>
    dependencies.map((d) => ({ ...d, line: lineOf(textOf(path), d.specifier) }));

  const nextFiles = new Map<string, CachedFile>();
  const files: ExtractedFile[] = current.map((path) => {
    const record = records.get(path)!;
    const old = usable?.files.get(path);
    const fresh = cruised.dependencies.get(path);
    let dependencies: ExtractedDependency[];
    if (fresh) dependencies = withLines(path, fresh);
    else if (reextracted.has(path)) dependencies = []; // dependency-cruiser skipped it (e.g. the user's includeOnly): it has nothing to check
    else if (kept.has(path)) dependencies = withLines(path, kept.get(path)!);
    else dependencies = old!.dependencies;
    if (old && dependencies !== old.dependencies && !sameResolution(old.dependencies, dependencies)) delta.dependenciesChanged.push(path);
    if (!old) delta.dependenciesChanged.push(path);
    nextFiles.set(path, { ...record, dependencies });
    return { path, hash: record.hash, dependencies };
  });

  const dirty = !usable || reread || stale.length > 0 || delta.deleted.length > 0;
  return {
    extraction: {
      files,
      foreignViolations: cruised.foreignViolations,
      stats: { files: current.length, extracted: stale.length, cache: usable ? 'warm' : 'cold' },
      delta,
    },
    state: { key, scannedAt, files: nextFiles },
    dirty,
  };
}

/** Same targets, kinds and specifiers (lines may move). */
function sameResolution(a: readonly ExtractedDependency[], b: readonly ExtractedDependency[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => d.specifier === b[i].specifier && d.resolved === b[i].resolved && d.couldNotResolve === b[i].couldNotResolve && d.exoticRequire === b[i].exoticRequire && d.kinds.join() === b[i].kinds.join());
}

/** The options dependency-cruiser's extractor reads, normalised like it does; undefined when the raw list cannot be computed the same way. */
function rawOptions(options: ICruiseOptions): RawOptions | undefined {
  const o = options as ICruiseOptions & { extraExtensionsToScan?: string[]; detectProcessBuiltinModuleCalls?: boolean };
  if ((o.extraExtensionsToScan ?? []).length > 0) return undefined;
  const exclude = o.exclude;
  if (exclude && typeof exclude === 'object' && !Array.isArray(exclude) && 'dynamic' in exclude) return undefined;
  return {
    exoticRequireStrings: [...new Set(o.exoticRequireStrings ?? [])],
    moduleSystems: [...new Set(o.moduleSystems ?? ['es6', 'cjs', 'tsd', 'amd'])],
    detectJSDocImports: o.detectJSDocImports === true,
    detectProcessBuiltinModuleCalls: o.detectProcessBuiltinModuleCalls === true,
  };
}

const JS_EXTENSION = /\.(js|jsx|cjs|mjs)$/;
const SOURCE_EXTENSION = /\.[cm]?[jt]sx?$/;

/**
 * Files whose cached dependencies cannot be trusted because the file set changed (`moved`: files
 * added or deleted), or may have changed outside the scanned folders:
 * - a dependency resolved to a deleted file;
 * - a path import (`./x`, `../x.js`, `./x/`) that an added or deleted file could satisfy: `x.ts`
 *   (also shadowing `x/index.ts`), `x.js`, `x/index.ts`;
 * - an import through an alias, baseUrl or package name whose last segment names such a file
 *   (the alias maps it to a folder unknown here: `@app/x` and a new `.../x.ts` or `.../x/index.ts`);
 * - an import that resolved nowhere, when a file or folder could since have appeared where it
 *   points (its folder changed after the previous scan), or through an alias (checked every time);
 * - a dependency that resolved to a file outside the scanned folders that has since disappeared.
 * (A missing npm package is not a boundary matter: it does not make a file stale.)
 */
function staleFiles(paths: readonly string[], cached: ExtractionState, moved: ReadonlySet<string>, rootDir: string, pathAliases: readonly string[]): string[] {
  const current = new Set(paths);
  // What a moved file can satisfy: itself, itself without extension, and its folder when it is an index.
  const stems = new Set<string>();
  const names = new Set<string>();
  for (const path of moved) {
    const stem = path.replace(SOURCE_EXTENSION, '');
    stems.add(path).add(stem);
    names.add(basename(stem));
    if (basename(stem) === 'index') {
      stems.add(posix.dirname(path));
      names.add(basename(posix.dirname(path)));
    }
  }
  const recent = cached.scannedAt - RACY_MS;
  const probed = new Map<string, boolean>();
  return paths.filter((p) => {
    const entry = cached.files.get(p);
    if (!entry || moved.has(p)) return false;
    return entry.dependencies.some((d) => {
      if (d.kinds.includes('core')) return false;
      if (moved.has(d.resolved)) return true;
      const specifier = d.specifier.replace(/[?#].*$/, '');
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = posix.normalize(specifier.startsWith('/') ? relative(rootDir, specifier).split('\\').join('/') : posix.join(posix.dirname(p), specifier)).replace(/\/+$/, '');
        const stripped = target.replace(JS_EXTENSION, '');
        if (stems.has(target) || stems.has(stripped)) return true;
        if (d.couldNotResolve) return changedSince(rootDir, stripped, recent, probed);
      } else {
        const last = specifier.replace(/\/+$/, '').split('/').pop()!.replace(JS_EXTENSION, '');
        if (names.has(last)) return true;
        if (d.couldNotResolve && isPathSpecifier(d.specifier, pathAliases)) return true; // resolved nowhere through an alias: its target may have appeared anywhere
      }
      return isProjectFile(d) && !current.has(d.resolved) && !existsSync(join(rootDir, d.resolved));
    });
  });
}

/**
 * Could a file have appeared at `stem` (project-relative, extension stripped) since `since`? Its
 * folder's mtime moves whenever an entry is added, removed or renamed in it, and the stem's own
 * when it is a folder that gained an index.
 */
function changedSince(rootDir: string, stem: string, since: number, probed: Map<string, boolean>): boolean {
  let changed = probed.get(stem);
  if (changed === undefined) {
    const absolute = resolve(rootDir, stem);
    const mtime = (path: string): number => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity;
    changed = mtime(dirname(absolute)) >= since || mtime(absolute) >= since;
    probed.set(stem, changed);
  }
  return changed;
}

function excludePatterns(options: ICruiseOptions): string[] {
  const exclude = options.exclude;
  if (exclude === undefined) return [];
  if (typeof exclude === 'string') return [exclude];
  if (Array.isArray(exclude)) return exclude;
  const path = exclude.path;
  return path === undefined ? [] : Array.isArray(path) ? path : [path];
}
