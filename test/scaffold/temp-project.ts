import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder: temp projects that Jest must import (transform, `nest-modulith` mapping) live here. */
export const SCAFFOLD_TEST_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(SCAFFOLD_TEST_DIR, '..', '..');

/**
 * Writes files (path -> contents) into a fresh project folder and returns its path.
 * `inRepo`: under test/scaffold/.tmp-* (gitignored) so Jest can import the files it holds;
 * otherwise in the OS temp dir.
 */
export function writeProject(files: Record<string, string>, inRepo = false): string {
  const root = inRepo ? mkdtempSync(join(SCAFFOLD_TEST_DIR, '.tmp-')) : mkdtempSync(join(tmpdir(), 'modulith-scaffold-'));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Every file under root (project-relative path -> contents), for before/after comparisons. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function readJson(root: string, path: string): unknown {
  return JSON.parse(read(root, path));
}

export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
