import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AffectedError } from './affected-error.js';

const MAX_FILES = 10_000;
const MAX_PATH_LENGTH = 4096;

/**
 * `--files a,b`: an explicit list of changed files instead of asking git. Entries are
 * project-relative (or absolute inside the project); an entry that is absolute outside the
 * project, escapes it with `..`, or holds control characters is refused (AffectedError, exit 2)
 * before anything reads it. Returns project-relative paths with `/`, sorted, deduplicated.
 */
export function parseFilesOption(value: string, rootDir: string): string[] {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new AffectedError('--files: give project-relative paths separated by commas, e.g. --files modules/billing/charge.ts,app/app.module.ts');
  if (entries.length > MAX_FILES) throw new AffectedError(`--files: ${entries.length} entries; at most ${MAX_FILES}`);
  const root = resolve(rootDir);
  const files = new Set<string>();
  for (const entry of entries) {
    const shown = JSON.stringify(entry.length > 60 ? `${entry.slice(0, 60)}…` : entry);
    if (entry.length > MAX_PATH_LENGTH) throw new AffectedError(`--files ${shown}: longer than ${MAX_PATH_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(entry)) throw new AffectedError(`--files ${shown}: contains control characters; give project-relative paths`);
    const normalized = entry.replace(/\\/g, '/');
    if (!isAbsolute(normalized) && normalized.split('/').includes('..')) {
      throw new AffectedError(`--files ${shown}: '..' may not leave or walk around the project; give paths relative to the project root (${root})`);
    }
    const path = relative(root, resolve(root, normalized)).split(sep).join('/');
    if (path === '' || path === '..' || path.startsWith('../') || isAbsolute(path)) {
      throw new AffectedError(`--files ${shown}: outside the project (${root}); give paths inside it, relative to its root`);
    }
    files.add(path);
  }
  return [...files].sort();
}
