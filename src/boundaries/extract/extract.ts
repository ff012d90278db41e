import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICruiseOptions } from 'dependency-cruiser';
import type { CheckConfig } from '../config/load-config.js';
import { cruiseFiles } from './cruise-files.js';
import type { ExtractedDependency, ExtractedFile, Extraction } from './extracted.js';
import { cacheKey, contentHash, defaultCacheFile, readCache, writeCache, type ExtractionCache } from './extraction-cache.js';
import { listSources } from './list-sources.js';
import { lineOf } from './locate-lines.js';
import { isPathSpecifier } from './specifiers.js';

export interface ExtractOptions {
  /** false: neither read nor write the cache. Default true (when the project has node_modules/). */
  cache?: boolean;
  /** Cache file; default node_modules/.cache/modulith/extraction.json. */
  cacheFile?: string;
  onProgress?: (message: string) => void;
}

/**
 * Stage 1 of the check: every scanned file with its resolved dependencies. Per-file incremental:
 * files are hashed, and only files whose content changed since the cached run are cruised again
 * (resolution depends on the file system layout, not on other files' contents). When files were
 * added or deleted, or anything in the cache key changed, everything is re-extracted, so the
 * result is always the one a cold run would produce.
 */
export async function extract(config: CheckConfig, options: ExtractOptions = {}): Promise<Extraction> {
  const { rootDir } = config.options;
  const progress = options.onProgress ?? (() => undefined);
  const paths = listSources(rootDir, config.options.scan, [...config.options.exclude, ...excludePatterns(config.cruiseOptions)]);
  progress(`hashing ${paths.length} files`);
  const texts = new Map(paths.map((p) => [p, readFileSync(join(rootDir, p), 'utf8')]));
  const hashes = new Map(paths.map((p) => [p, contentHash(texts.get(p)!)]));

  // A user's own rules can look at the whole graph (cycles, reachability): no per-file reuse then.
  const cacheFile = options.cache === false || config.extraRules ? undefined : (options.cacheFile ?? defaultCacheFile(rootDir));
  const key = cacheKey({
    options: { scan: config.options.scan, exclude: config.options.exclude, tsConfig: config.options.tsConfig, cruise: config.cruiseOptions },
    files: [...config.options.tsConfigFiles, join(rootDir, 'package.json')],
  });
  const cached = cacheFile ? readCache(cacheFile, key) : undefined;
  const stale = cached ? staleFiles(paths, hashes, cached, rootDir, config.options.pathAliases) : paths;

  progress(`extracting dependencies of ${stale.length} file${stale.length === 1 ? '' : 's'}`);
  const cruised = await cruiseFiles(stale, {
    rootDir,
    cruiseOptions: config.cruiseOptions,
    tsConfig: config.options.tsConfig,
    extraRules: config.extraRules,
    configFile: config.file ?? 'package.json',
  });

  const reextracted = new Set(stale);
  const files: ExtractedFile[] = paths.map((path) => {
    const fresh = cruised.dependencies.get(path);
    const dependencies: ExtractedDependency[] = fresh
      ? fresh.map((d) => ({ ...d, line: lineOf(texts.get(path)!, d.specifier) }))
      : reextracted.has(path)
        ? [] // dependency-cruiser skipped it (e.g. the user's includeOnly): it has nothing to check
        : cached!.files[path].dependencies;
    return { path, hash: hashes.get(path)!, dependencies };
  });

  if (cacheFile && (stale.length > 0 || !cached)) {
    const next: ExtractionCache = { key, files: {} };
    for (const f of files) next.files[f.path] = { hash: f.hash, dependencies: f.dependencies };
    writeCache(cacheFile, next);
  }
  return {
    files,
    foreignViolations: cruised.foreignViolations,
    stats: { files: paths.length, extracted: stale.length, cache: !cacheFile ? 'off' : cached ? 'warm' : 'cold' },
  };
}

/**
 * Files whose cached dependencies cannot be trusted: all of them when the file set changed (a new
 * file can change what an unchanged import resolves to), else the changed ones plus those with a
 * path import that resolved nowhere or to a file outside the scan that has since disappeared.
 * (A missing npm package is not a boundary matter: it does not make a file stale.)
 */
function staleFiles(
  paths: readonly string[],
  hashes: ReadonlyMap<string, string>,
  cached: ExtractionCache,
  rootDir: string,
  pathAliases: readonly string[],
): string[] {
  const current = new Set(paths);
  if (paths.length !== Object.keys(cached.files).length || paths.some((p) => !cached.files[p])) return [...paths];
  return paths.filter((p) => {
    const entry = cached.files[p];
    if (entry.hash !== hashes.get(p)) return true;
    return entry.dependencies.some(
      (d) => (d.couldNotResolve && isPathSpecifier(d.specifier, pathAliases)) || (d.kinds.includes('local') && !current.has(d.resolved) && !existsSync(join(rootDir, d.resolved))),
    );
  });
}

function excludePatterns(options: ICruiseOptions): string[] {
  const exclude = options.exclude;
  if (exclude === undefined) return [];
  if (typeof exclude === 'string') return [exclude];
  if (Array.isArray(exclude)) return exclude;
  const path = exclude.path;
  return path === undefined ? [] : Array.isArray(path) ? path : [path];
}
