// @modulith-covers boundaries, cli
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diffViolations, runCheck, watchCheck, watchFiles, type BoundaryViolation, type EngineRun, type WatchSession } from '../../src/boundaries/index.js';
import { leaksPlugin } from '../../src/cli/index.js';
import { manifest, removeProjects, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

const sessions: WatchSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

type Run = EngineRun & { paths: string[] };

/** A watch session on `root` whose runs can be awaited one by one. */
function watch(root: string, extra: { cache?: boolean } = {}): { next: (what: string, match?: (run: Run) => boolean) => Promise<Run>; session: WatchSession } {
  const runs: Run[] = [];
  const waiting: Array<{ match: (run: Run) => boolean; resolve: (run: Run) => void }> = [];
  const session = watchCheck({
    rootDir: root,
    baseline: false,
    cache: extra.cache ?? false,
    plugins: [leaksPlugin({ cache: false })],
    debounceMs: 20,
    onRun: (run) => {
      if (process.env.WATCH_DEBUG) console.log(JSON.stringify({ paths: run.paths, added: run.added.map((v) => v.rule + ' ' + v.from), fixed: run.fixed.length, changed: run.changed, error: String(run.error ?? '') }));
      const waiter = waiting.find((w) => w.match(run));
      if (waiter) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(run);
      } else runs.push(run);
    },
  });
  sessions.push(session);
  const next = (what: string, match: (run: Run) => boolean = () => true): Promise<Run> => {
    const earlier = runs.findIndex(match);
    if (earlier >= 0) return Promise.resolve(runs.splice(earlier, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no run for: ${what}`)), 15_000);
      waiting.push({ match, resolve: (run) => (clearTimeout(timer), resolve(run)) });
    });
  };
  return { next, session };
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const brief = (violations: readonly BoundaryViolation[]) => violations.map((v) => `${v.rule} ${v.from} -> ${v.to}`);

describe('diffViolations', () => {
  const v = (from: string, line: number, to = 'x'): BoundaryViolation => ({ rule: 'deep-import', severity: 'error', from, to, fromModule: 'a', toModule: 'b', line, message: `${from} -> ${to}`, fix: '' });
  it('ignores lines (an edit above a violation moves it) and counts duplicates', () => {
    expect(diffViolations([v('a.ts', 1), v('b.ts', 2)], [v('a.ts', 5), v('c.ts', 1)])).toEqual({ added: [v('c.ts', 1)], fixed: [v('b.ts', 2)] });
    expect(diffViolations([v('a.ts', 1)], [v('a.ts', 1), v('a.ts', 9)])).toEqual({ added: [v('a.ts', 9)], fixed: [] });
  });
});

describe('watchCheck', () => {
  it('re-checks after each save: edits, new folders, deletions, renames, broken and repaired files and module.json', async () => {
    const root = writeProject(referenceApp({ 'node_modules/.keep': '' }));
    const { next, session } = watch(root);
    const first = await next('the first check');
    expect(first.result?.stats.cache).toBe('cold'); // cache: false: nothing read from disk
    expect(first.added).toEqual([]);

    write(root, 'modules/orders/place-order.ts', "import { charge } from '../billing/index.js';\nimport { InvoiceRepository } from '../billing/internal/invoice.js';\nexport function placeOrder(): number { return charge() + new InvoiceRepository().count; }\n");
    const deep = await next('a deep import', (r) => r.changed?.changed.includes('modules/orders/place-order.ts') === true);
    expect(brief(deep.added)).toEqual(['deep-import modules/orders/place-order.ts -> modules/billing/internal/invoice.ts']);
    expect(deep.durationMs).toBeLessThan(5000);

    // A file in a folder that did not exist: the new folder is watched too.
    write(root, 'modules/catalog/deep/er/leaf.ts', "import { money } from '../../../kernel/index.js';\nexport const leaf = money(1);\n");
    const leaf = await next('a file in a new folder', (r) => r.changed?.added.includes('modules/catalog/deep/er/leaf.ts') === true);
    expect(leaf.result?.stats.files).toBe(first.result!.stats.files + 1);
    appendFileSync(join(root, 'modules/catalog/deep/er/leaf.ts'), "import { InvoiceRepository } from '../../../billing/internal/invoice.js';\nexport const x = InvoiceRepository;\n");
    const nested = await next('an edit in the new folder', (r) => r.added.length > 0);
    expect(brief(nested.added)).toEqual(['deep-import modules/catalog/deep/er/leaf.ts -> modules/billing/internal/invoice.ts']);

    // Broken syntax: dependency-cruiser reads what it can, like a cold check.
    appendFileSync(join(root, 'modules/catalog/index.ts'), 'export const = ;\n');
    const broken = await next('broken syntax', (r) => r.changed?.changed.includes('modules/catalog/index.ts') === true);
    expect(broken.error).toBeUndefined();

    // A broken module.json is reported, and watching goes on.
    writeFileSync(join(root, 'modules/catalog/module.json'), '{ "name": "catalog", ');
    const invalid = await next('a broken module.json', (r) => r.error !== undefined);
    expect(String((invalid.error as Error).message)).toContain('modules/catalog/module.json');
    writeFileSync(join(root, 'modules/catalog/module.json'), manifest('catalog', ['billing']));
    const repaired = await next('module.json repaired', (r) => r.result !== undefined);
    expect(repaired.configChanged).toEqual(['modules/catalog/module.json']);
    // catalog now declares billing: the deep import stays, the undeclared part is gone
    expect(brief(repaired.result!.found)).toEqual(brief((await runCheck({ rootDir: root, baseline: false, cache: false, plugins: [leaksPlugin({ cache: false })] })).found));

    // Rename and delete.
    renameSync(join(root, 'modules/billing/internal/invoice.ts'), join(root, 'modules/billing/internal/invoices.ts'));
    const renamed = await next('a rename', (r) => r.changed?.deleted.includes('modules/billing/internal/invoice.ts') === true);
    expect(renamed.changed?.added).toEqual(['modules/billing/internal/invoices.ts']);
    expect(renamed.fixed.map((v) => v.rule)).toContain('deep-import');
    expect(renamed.added.map((v) => v.rule)).toContain('unresolved-import');
    rmSync(join(root, 'modules/catalog/deep'), { recursive: true });
    const removed = await next('a folder removed', (r) => r.changed?.deleted.includes('modules/catalog/deep/er/leaf.ts') === true);
    expect(removed.result?.stats.files).toBe(first.result!.stats.files);

    // What the watch says is what a cold check says.
    const cold = await runCheck({ rootDir: root, baseline: false, cache: false, plugins: [leaksPlugin({ cache: false })] });
    expect(removed.result!.found).toEqual(cold.found);

    await session.stop();
    await expect(session.done).resolves.toEqual({});
  }, 60_000);

  it('starts from the cache of a previous `modulith check`, and asks for a new process when a JavaScript config changes', async () => {
    const root = writeProject(referenceApp({ 'node_modules/.keep': '', '.dependency-cruiser.cjs': 'module.exports = { forbidden: [], options: {} };\n' }));
    await runCheck({ rootDir: root, baseline: false, cache: true });
    const { next, session } = watch(root, { cache: true });
    const first = await next('the first check');
    expect(first.result?.stats).toMatchObject({ cache: 'warm', extracted: 0 });
    appendFileSync(join(root, '.dependency-cruiser.cjs'), '// edited\n');
    const restart = await next('a config change', (r) => r.restart !== undefined);
    expect(restart.restart).toBe('.dependency-cruiser.cjs changed');
    await expect(session.done).resolves.toEqual({ restart: '.dependency-cruiser.cjs changed' });
  }, 30_000);
});

describe('watchFiles', () => {
  it('reports changes below the folders, never in node_modules or dot folders, and follows new folders', async () => {
    const root = writeProject({ 'src/a.ts': '', 'src/node_modules/x/index.js': '', 'src/.hidden/y.ts': '', 'package.json': '{}' });
    const seen: string[][] = [];
    const watcher = watchFiles({ rootDir: root, folders: ['src'], files: ['package.json'], debounceMs: 20 }, (paths) => seen.push(paths));
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 250));
    try {
      writeFileSync(join(root, 'src/node_modules/x/index.js'), 'changed');
      writeFileSync(join(root, 'src/.hidden/y.ts'), 'changed');
      await settle();
      expect(seen).toEqual([]);
      writeFileSync(join(root, 'src/a.ts'), 'changed');
      await settle();
      mkdirSync(join(root, 'src/new/deeper'), { recursive: true });
      await settle();
      writeFileSync(join(root, 'src/new/deeper/b.ts'), 'new');
      writeFileSync(join(root, 'package.json'), '{ "name": "x" }');
      await settle();
      const all = seen.flat();
      expect(all).toContain('src/a.ts');
      expect(all).toContain('src/new/deeper/b.ts');
      expect(all).toContain('package.json');
      expect(all.some((p) => p.includes('node_modules') || p.includes('.hidden'))).toBe(false);
    } finally {
      watcher.close();
    }
  });
});
