import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type ts from 'typescript';
import type { ApplicationModules, Violation } from '../core/index.js';

const VERSION = 1;

interface CacheRecord {
  version: number;
  key: string;
  /** Every file the analysis read (project-relative) and the sha1 of its text. */
  files: Record<string, string>;
  violations: Violation[];
}

/** What the result depends on besides the source files: the module model and the tsconfig chain. */
export function cacheKey(model: ApplicationModules, configFiles: readonly string[]): string {
  const hash = createHash('sha1');
  hash.update(JSON.stringify({ version: VERSION, roots: model.roots, modules: model.modules.map((m) => [m.name, m.dir, m.entry, m.dependsOn, m.shared]) }));
  for (const file of configFiles) hash.update(`\0${file}\0${existsSync(file) ? readFileSync(file, 'utf8') : ''}`);
  return hash.digest('hex');
}

/**
 * The cached violations when the key matches and every file read last time is unchanged.
 * (A file that did not take part last time can only start to matter through an edit of one that
 * did, so re-hashing those is enough; a new file shadowing an existing import target is the one
 * case it misses: delete the cache file after moving files around.)
 */
export function readCache(file: string, key: string, rootDir: string): Violation[] | undefined {
  if (!existsSync(file)) return undefined;
  let record: CacheRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as CacheRecord;
  } catch {
    return undefined;
  }
  if (record.version !== VERSION || record.key !== key) return undefined;
  for (const [path, digest] of Object.entries(record.files)) {
    const absolute = resolve(rootDir, path);
    if (!existsSync(absolute) || sha1(readFileSync(absolute, 'utf8')) !== digest) return undefined;
  }
  return record.violations;
}

export function writeCache(file: string, key: string, rootDir: string, program: ts.Program, violations: Violation[]): void {
  const files: Record<string, string> = {};
  for (const source of program.getSourceFiles()) {
    files[relative(rootDir, source.fileName).split(sep).join('/')] = sha1(source.text);
  }
  const record: CacheRecord = { version: VERSION, key, files, violations };
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(record));
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
