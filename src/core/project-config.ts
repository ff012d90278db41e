import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleModelError } from './problem.js';

/** Where a project keeps its modules. Read from the `modulith` key of its package.json. */
export interface ProjectConfig {
  /** Modules roots relative to the project root. Default `['modules']`. */
  roots: string[];
}

export const DEFAULT_ROOTS = ['modules'];

/**
 * Reads `package.json#modulith`. Missing file or key means the defaults; a malformed value is a
 * configuration error that names the file, never a silent fallback.
 */
export function readProjectConfig(rootDir: string): ProjectConfig {
  const file = join(rootDir, 'package.json');
  if (!existsSync(file)) return { roots: [...DEFAULT_ROOTS] };
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModuleModelError([
      { file: 'package.json', message: `is not valid JSON (${(error as Error).message})`, fix: 'repair the JSON syntax' },
    ]);
  }
  const section = (pkg as { modulith?: unknown }).modulith;
  if (section === undefined) return { roots: [...DEFAULT_ROOTS] };
  const roots = (section as { roots?: unknown }).roots;
  if (
    typeof section !== 'object' ||
    section === null ||
    (roots !== undefined && (!Array.isArray(roots) || roots.length === 0 || !roots.every((r) => typeof r === 'string' && r.length > 0)))
  ) {
    throw new ModuleModelError([
      {
        file: 'package.json',
        message: '"modulith" must be an object like { "roots": ["modules"] }',
        fix: 'set "modulith": { "roots": ["<folder holding your modules>"] } or remove the key to use modules/',
      },
    ]);
  }
  return { roots: roots ? (roots as string[]).map(normalizeRoot) : [...DEFAULT_ROOTS] };
}

function normalizeRoot(root: string): string {
  const trimmed = root.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}
