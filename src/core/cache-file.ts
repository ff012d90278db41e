import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The cache folder at a project root without node_modules (like .eslintcache): it ignores itself for git. */
export const CACHE_FOLDER = '.modulith-cache';

/**
 * Writes a cache file atomically (a concurrent run reads the old or the new one, never half).
 * A cache that cannot be written only costs speed: nothing is thrown or printed.
 */
export function writeCacheFile(file: string, content: string): void {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    if (dir.endsWith(CACHE_FOLDER) && !existsSync(join(dir, '.gitignore'))) {
      writeFileSync(join(dir, '.gitignore'), '# written by modulith: its cache, never committed\n*\n');
    }
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch {
    // a read-only project only costs speed
  }
}

/** A JSON cache file, or undefined when it is missing, corrupt or fails `valid` (a cold run rebuilds it). */
export function readJsonCache<T>(file: string, valid: (value: Record<string, unknown>) => boolean): T | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && valid(value as Record<string, unknown>) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
