import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * The source files the check covers: every JavaScript/TypeScript file under the scanned folders
 * (modules roots first, then app-shell folders), minus excluded paths and declaration files.
 * Project-relative, `/` separators, sorted, no duplicates.
 */
export function listSources(rootDir: string, folders: readonly string[], exclude: readonly string[]): string[] {
  const excluded = exclude.map((re) => new RegExp(re));
  const isExcluded = (path: string): boolean => excluded.some((re) => re.test(path));
  const found = new Set<string>();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(join(rootDir, dir), { withFileTypes: true });
    } catch {
      return; // a configured folder that does not exist has nothing to check
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (isExcluded(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) found.add(path);
    }
  };
  for (const folder of folders) {
    if (folder === '.') {
      // A project-root modules root: only its module folders hold modules; root files are the shell.
      walk('.');
    } else if (!isExcluded(folder)) walk(folder);
  }
  return [...found].sort();
}
