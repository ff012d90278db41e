import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_FOLDER, writeCacheFile } from '../../core/index.js';
import type { ExtractedDependency } from './extracted.js';

/** Bump when the cached shape or the extraction's meaning changes. */
const FORMAT = 3;

export interface CachedFile {
  hash: string;
  /** stat() of the file when it was hashed: an unchanged size and mtime spare reading it again. */
  size: number;
  mtimeMs: number;
  dependencies: ExtractedDependency[];
}

export interface ExtractionCache {
  /** Hash of everything besides file contents that shapes extraction (options, tsconfig chain, package.json, versions). */
  key: string;
  /** When the scan that produced it started (ms): files modified since shortly before are hashed again, whatever their stat says. */
  scannedAt: number;
  files: Record<string, CachedFile>;
}

/**
 * Where a project's caches live: node_modules/.cache/modulith/ like babel's and eslint's (ignored
 * and wiped with node_modules), or `.modulith-cache/` at the project root when there is no
 * node_modules/ (a `.gitignore` inside keeps it out of git).
 */
export function defaultCacheDir(rootDir: string): string {
  const nodeModules = join(rootDir, 'node_modules');
  return existsSync(nodeModules) ? join(nodeModules, '.cache', 'modulith') : join(rootDir, CACHE_FOLDER);
}

export function defaultCacheFile(rootDir: string): string {
  return join(defaultCacheDir(rootDir), 'extraction.json');
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
    return cache.key === key && typeof cache.files === 'object' && typeof cache.scannedAt === 'number' ? cache : undefined;
  } catch {
    return undefined; // missing or corrupt: a cold run rebuilds it
  }
}

export function writeCache(file: string, cache: ExtractionCache): void {
  writeCacheFile(file, JSON.stringify(cache));
}

let location: { version: string; dir: string | undefined } | undefined;

/**
 * dependency-cruiser's version and folder: the copy this module imports (found from its own path),
 * else the one next to the running command; version 'unknown' when neither can be found.
 */
export function depcruiseLocation(): { version: string; dir: string | undefined } {
  if (location === undefined) {
    location = { version: 'unknown', dir: undefined };
    // Its exports map hides package.json from require.resolve: look for the folder instead.
    for (const start of [ownFile(), process.argv[1]]) {
      if (!start) continue;
      try {
        for (let dir = dirname(realpathSync(start)); ; dir = dirname(dir)) {
          const manifest = join(dir, 'node_modules', 'dependency-cruiser', 'package.json');
          if (existsSync(manifest)) {
            location = { version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version, dir: dirname(manifest) };
            return location;
          }
          if (dirname(dir) === dir) break;
        }
      } catch {
        // try the next start
      }
    }
  }
  return location;
}

/** This module's file, from a stack trace (import.meta would not compile in the CommonJS build). */
function ownFile(): string | undefined {
  for (const line of (new Error().stack ?? '').split('\n')) {
    const match = line.match(/\(?((?:file:\/\/)?[^\s()]+extraction-cache\.[cm]?[jt]s)(?::\d+)*\)?\s*$/);
    if (match) return match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1];
  }
  return undefined;
}

function depcruiseVersion(): string {
  return depcruiseLocation().version;
}
