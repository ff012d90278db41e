import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project layouts met in real NestJS repositories (test/fixtures/layouts/<name>), see each test for what it stands for. */
export const LAYOUTS = fileURLToPath(new URL('../../fixtures/layouts/', import.meta.url));

const copies: string[] = [];

/** A private copy of a layout in the temp folder, free to be changed by the test (and by init). */
export function copyLayout(name: 'baseurl' | 'nx' | 'extends-chain' | 'app-tsconfig'): string {
  const root = mkdtempSync(join(tmpdir(), `modulith-layout-${name}-`));
  copies.push(root);
  cpSync(join(LAYOUTS, name), root, { recursive: true });
  // The repository root, as a clone has it: no tsconfig of the temp folder above is looked at.
  mkdirSync(join(root, '.git'));
  return root;
}

export function removeLayouts(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function write(root: string, path: string, text: string): void {
  writeFileSync(join(root, path), text);
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function remove(root: string, ...paths: string[]): void {
  for (const path of paths) unlinkSync(join(root, path));
}
