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
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(join(rootDir, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (SOURCE.test(entry.name) && !DECLARATION.test(entry.name) && !TEST.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(module.dir);
  return files.sort();
}
