import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { walkFiles, type ApplicationModules } from '../core/index.js';
import { TEST_FILE } from './shell-files.js';

/** One test file of the project and the modules it tests. */
export interface TestFile {
  /** Project-relative with `/`. */
  path: string;
  /** The module whose folder holds it. */
  module?: string;
  /** The modules its `@modulith-covers` header names. */
  covers: string[];
}

/** Folders never searched for tests: installed packages, build outputs, caches, fixtures (test projects, not tests). */
export const IGNORED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'fixtures', '__fixtures__', '.modulith-cache']);

/** How many lines from the top `@modulith-covers` may appear on. */
export const COVERS_LINES = 20;

/**
 * The modules a test file outside every module declares it covers: a line
 * `// @modulith-covers media, billing` (or ` * @modulith-covers ...` inside a block comment) in
 * its first 20 lines; names separated by commas or spaces. Undefined when there is none.
 */
export function parseCovers(text: string): string[] | undefined {
  const names = new Set<string>();
  let found = false;
  for (const line of text.split(/\r?\n/, COVERS_LINES)) {
    const match = /^\s*(?:\/\/+|\/?\*+)\s*@modulith-covers\b(.*)$/.exec(line);
    if (!match) continue;
    found = true;
    for (const name of match[1]!.replace(/\*\/.*$/, '').split(/[\s,]+/)) if (name) names.add(name);
  }
  return found ? [...names].sort() : undefined;
}

/**
 * Every test file of the project (`*.spec.*` / `*.test.*`, TypeScript or JavaScript), outside
 * IGNORED_FOLDERS and dot-folders, with its module and its `@modulith-covers` header. Sorted.
 */
export function findTestFiles(rootDir: string, model: ApplicationModules): TestFile[] {
  return walkFiles(rootDir, { skipDir: (name) => IGNORED_FOLDERS.has(name), file: (name) => TEST_FILE.test(name) }).map((path) => {
    const module = model.moduleOf(path);
    return { path, ...(module ? { module: module.name } : {}), covers: parseCovers(head(join(rootDir, path))) ?? [] };
  });
}

/** The first few KB of a file: enough for its first 20 lines. */
function head(file: string): string {
  const buffer = Buffer.alloc(8192);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
