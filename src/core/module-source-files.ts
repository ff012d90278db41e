import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplicationModule } from './application-module.js';

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$/;
/** A module's own tests may do what production code may not; they never run in an extracted service. */
const TEST = /\.(spec|test|e2e-spec)\.(ts|tsx|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '__tests__', '__mocks__', 'fixtures']);

/** A module's production TypeScript files (what extraction and contracts read), project-relative with `/`, sorted. */
export function moduleSourceFiles(rootDir: string, module: ApplicationModule): string[] {
  return walkFiles(join(rootDir, module.dir), {
    skipDir: (name) => SKIPPED_DIRS.has(name),
    file: (name) => SOURCE.test(name) && !DECLARATION.test(name) && !TEST.test(name),
  }).map((path) => `${module.dir}/${path}`);
}

/**
 * The files below `dir` that `file` accepts, relative to it with `/`, sorted. Dot-folders and the
 * folders `skipDir` names are not entered; an unreadable folder is skipped (what is there to read
 * decides, not an error in a corner). The one folder walk of the code that reads projects.
 */
export function walkFiles(dir: string, filter: { skipDir?: (name: string) => boolean; file: (name: string) => boolean }): string[] {
  const files: string[] = [];
  const walk = (abs: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !filter.skipDir?.(entry.name)) walk(join(abs, entry.name), `${prefix}${entry.name}/`);
      } else if (entry.isFile() && filter.file(entry.name)) {
        files.push(`${prefix}${entry.name}`);
      }
    }
  };
  walk(dir, '');
  return files.sort();
}
