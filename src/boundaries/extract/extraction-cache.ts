import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExtractedDependency } from './extracted.js';

/** Bump when the cached shape or the extraction's meaning changes. */
const FORMAT = 2;

export interface CachedFile {
  hash: string;
  dependencies: ExtractedDependency[];
}

export interface ExtractionCache {
  /** Hash of everything besides file contents that shapes extraction (options, tsconfig chain, package.json, versions). */
  key: string;
  files: Record<string, CachedFile>;
}

/** Where a project's cache lives: under node_modules/.cache like babel's and eslint's, so it is ignored and wiped with node_modules. */
export function defaultCacheFile(rootDir: string): string | undefined {
  const nodeModules = join(rootDir, 'node_modules');
  return existsSync(nodeModules) ? join(nodeModules, '.cache', 'modulith', 'extraction.json') : undefined;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The cache key: any change to options, the tsconfig chain, package.json or the dependency-cruiser version starts over. */
export function cacheKey(parts: { options: unknown; files: readonly string[] }): string {
  const hash = createHash('sha1');
  hash.update(JSON.stringify({ format: FORMAT, depcruise: depcruiseVersion(), options: parts.options }));
  for (const file of parts.files) {
    hash.update(`\n${file}\n`);
    hash.update(existsSync(file) ? readFileSync(file) : 'missing');
  }
  return hash.digest('hex');
}

export function readCache(file: string, key: string): ExtractionCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(file, 'utf8')) as ExtractionCache;
    return cache.key === key && typeof cache.files === 'object' ? cache : undefined;
  } catch {
    return undefined; // missing or corrupt: a cold run rebuilds it
  }
}

export function writeCache(file: string, cache: ExtractionCache): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(cache));
    renameSync(temp, file); // atomic: a concurrent check reads the old or the new cache, never half of one
  } catch {
    // a read-only node_modules only costs speed
  }
}

let version: string | undefined;
function depcruiseVersion(): string {
  if (version === undefined) {
    try {
      // Its exports map hides package.json from require.resolve: look for the folder instead,
      // from the running `modulith` command (node_modules/nest-modulith/bin, or a test runner).
      for (let dir = dirname(realpathSync(process.argv[1] ?? process.cwd())); ; dir = dirname(dir)) {
        const manifest = join(dir, 'node_modules', 'dependency-cruiser', 'package.json');
        if (existsSync(manifest)) {
          version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
          break;
        }
        if (dirname(dir) === dir) throw new Error('not found');
      }
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
