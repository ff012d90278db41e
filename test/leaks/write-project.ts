import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The tsconfig most fixtures use: a NodeNext ESM project like this repository. */
export const ESM_TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
  },
});

/**
 * Writes a fixture project (path -> contents) into a fresh temp dir and returns its path.
 * Adds a package.json ("type": "module") and the ESM tsconfig unless the files bring their own.
 */
export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'modulith-leaks-'));
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'fixture', type: 'module' }),
    'tsconfig.json': ESM_TSCONFIG,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

/** module.json text. */
export function manifest(name: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, dependsOn, ...extra });
}

export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
