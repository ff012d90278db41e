// @modulith-covers boundaries
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../../src/boundaries/index.js';
import { check, removeProjects, writeFile, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

const CACHE = 'node_modules/.cache/modulith/extraction.json';

/** Runs the check with the cache and without it, asserts both found the same, returns the cached run. */
async function bothWays(root: string): Promise<CheckResult> {
  const cached = await check(root, { cache: true });
  const uncached = await check(root, { cache: false });
  expect(cached.found).toEqual(uncached.found);
  expect(uncached.stats.cache).toBe('off');
  return cached;
}

function project(): string {
  return writeProject(
    referenceApp({
      'node_modules/.keep': '',
      'modules/orders/deep.ts': "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n",
      'modules/orders/tool-user.ts': "import { tool } from '../../scripts/tool.js';\nexport const t = tool;\n",
      'modules/orders/npm-user.ts': "import pkg from 'not-installed-anywhere';\nexport const p = pkg;\n",
    }),
  );
}

describe('extraction cache', () => {
  it('gives the same result as no cache: cold, warm, after an edit, an added and a deleted file', async () => {
    const root = project();
    const cold = await bothWays(root);
    expect(cold.stats).toMatchObject({ cache: 'cold', extracted: cold.stats.files });
    expect(existsSync(join(root, CACHE))).toBe(true);

    const warm = await bothWays(root);
    // tool-user.ts has an unresolved path import: re-extracted only once its target's folder changes;
    // npm-user.ts's missing npm package is no boundary matter and does not make it stale
    expect(warm.stats).toMatchObject({ cache: 'warm', extracted: 0 });

    writeFile(root, 'modules/catalog/index.ts', "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const catalog = InvoiceRepository;\n");
    const edited = await bothWays(root);
    expect(edited.stats).toMatchObject({ cache: 'warm', extracted: 1 });
    expect(edited.found.some((v) => v.from === 'modules/catalog/index.ts' && v.rule === 'deep-import')).toBe(true);

    writeFile(root, 'modules/orders/internal/helper.ts', 'export const h = 1;\n');
    const added = await bothWays(root);
    // only the new file: nothing imports a path it could satisfy
    expect(added.stats).toMatchObject({ cache: 'warm', extracted: 1 });

    rmSync(join(root, 'modules/orders/deep.ts'));
    const deleted = await bothWays(root);
    expect(deleted.found.some((v) => v.from === 'modules/orders/deep.ts')).toBe(false);
  });

  it('notices when an unresolved import starts to resolve outside the scanned folders', async () => {
    const root = project();
    const before = await bothWays(root);
    expect(before.found.filter((v) => v.rule === 'unresolved-import').map((v) => v.to)).toEqual(['../../scripts/tool.js']);
    writeFile(root, 'scripts/tool.ts', 'export const tool = 1;\n');
    const after = await bothWays(root);
    expect(after.found.filter((v) => v.rule === 'unresolved-import')).toEqual([]);
  });

  it('starts over when the tsconfig changes, and survives a corrupt cache file', async () => {
    const root = project();
    await bothWays(root);
    writeFile(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', baseUrl: '.', paths: { '@app/*': ['modules/*'] } }, include: ['src', 'modules'] }));
    const changed = await bothWays(root);
    expect(changed.stats).toMatchObject({ cache: 'cold' });
    writeFileSync(join(root, CACHE), '{ not json');
    const corrupt = await bothWays(root);
    expect(corrupt.stats).toMatchObject({ cache: 'cold' });
  });
});
