// @modulith-covers cli, boundaries
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRef } from '../../src/boundaries/index.js';
import { removeProjects, writeFile, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { runCli } from './support/run-cli.js';

afterAll(removeProjects);

const DEEP = "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n";

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The reference app with its contracts written, committed as the first commit of a fresh repository (tagged `base`). */
async function repo(extra: Record<string, string> = {}): Promise<string> {
  const root = writeProject(referenceApp({ '.gitignore': 'node_modules/\n.modulith-cache/\n', ...extra }));
  expect((await runCli(['contracts'], root)).code).toBe(0);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  git(root, 'tag', 'base');
  return root;
}

interface ChangedJson {
  violations: Array<{ rule: string; from: string; severity: string }>;
  known: number;
  stale: unknown[];
  changed: { files: string[]; modules: Array<{ name: string; contract: string; dependents: string[] }>; shell: string[]; elsewhere: { errors: number; warnings: number } };
}

const changedJson = async (root: string, ...args: string[]) => {
  const run = await runCli(['check', '--changed', '--no-leaks', '--format', 'json', ...args], root);
  return { ...run, json: run.code === 2 ? undefined : (JSON.parse(run.stdout) as ChangedJson) };
};

describe('modulith check --changed', () => {
  it('an internal-only change: the module listed with its contract unchanged, exit 0', async () => {
    const root = await repo();
    writeFile(root, 'modules/billing/charge.ts', "import { InvoiceRepository } from './internal/invoice.js';\nexport function charge(): number { return new InvoiceRepository().count + 0; }\n");
    writeFile(root, 'modules/billing/internal/tax.ts', 'export const tax = 0.2;\n'); // untracked
    writeFile(root, 'src/main.ts', "import { placeOrder } from '../modules/orders/index.js';\nplaceOrder();\n// shell\n");
    const { code, json } = await changedJson(root);
    expect(code).toBe(0);
    expect(json!.violations).toEqual([]);
    expect(json!.changed.files).toEqual(['modules/billing/charge.ts', 'modules/billing/internal/tax.ts', 'src/main.ts']);
    expect(json!.changed.modules).toEqual([{ name: 'billing', contract: 'unchanged', dependents: [], files: ['modules/billing/charge.ts', 'modules/billing/internal/tax.ts'] }]);
    expect(json!.changed.shell).toEqual(['src/main.ts']);
    expect(json).toHaveProperty('known', 0);
    expect(json).toHaveProperty('stale', []);

    const pretty = await runCli(['check', '--changed', '--no-leaks'], root);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain('changed in the working tree: 3 files');
    expect(pretty.stdout).toContain('billing: 2 files, internals only (contract unchanged)');
  });

  it('a deep import added in a changed file: exit 1 listing only that violation; one already in an unchanged file does not fail', async () => {
    const root = await repo({ 'modules/catalog/old-deep.ts': DEEP });
    const before = await changedJson(root);
    expect(before.code).toBe(0); // the committed violation is elsewhere
    expect(before.json!.changed.elsewhere.errors).toBeGreaterThanOrEqual(1);
    expect(before.json!.violations).toEqual([]);

    writeFile(root, 'modules/orders/deep.ts', DEEP);
    git(root, 'add', 'modules/orders/deep.ts'); // staged
    const after = await changedJson(root);
    expect(after.code).toBe(1);
    expect(after.json!.violations.map((v) => [v.rule, v.from])).toEqual([['deep-import', 'modules/orders/deep.ts']]);
    expect(after.json!.changed.modules).toEqual([{ name: 'orders', contract: 'unchanged', dependents: [], files: ['modules/orders/deep.ts'] }]);
  });

  it('a public API changed in the working tree without recording it: contract changed, its dependents listed, exit 1', async () => {
    const root = await repo();
    writeFile(root, 'modules/billing/index.ts', "export { charge } from './charge.js';\nexport type { Invoice } from './internal/invoice.js';\nexport const refund = (n: number): number => -n;\n");
    const { code, json } = await changedJson(root);
    expect(code).toBe(1);
    expect(json!.changed.modules).toEqual([{ name: 'billing', contract: 'changed', dependents: ['orders'], files: ['modules/billing/index.ts'] }]);
    expect(json!.violations.map((v) => v.rule)).toEqual(['contract-changed']);
  });

  it('--since REF: the commits since REF plus the working tree; a committed contract change is reported with its dependents', async () => {
    const root = await repo();
    writeFile(root, 'modules/billing/index.ts', "export { charge } from './internal/charge2.js';\n");
    writeFile(root, 'modules/billing/internal/charge2.ts', 'export function charge(amount: string): number { return amount.length; }\n');
    expect((await runCli(['contracts'], root)).code).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'billing: new charge');
    writeFile(root, 'modules/catalog/extra.ts', 'export const extra = 1;\n');

    const worktree = await changedJson(root);
    expect(worktree.code).toBe(0);
    expect(worktree.json!.changed.modules.map((m) => m.name)).toEqual(['catalog']);

    const since = await changedJson(root, '--since', 'base');
    expect(since.code).toBe(1);
    expect(since.json!.changed.files).toContain('modules/billing/module.api.md');
    expect(since.json!.changed.files).toContain('modules/catalog/extra.ts');
    const billing = since.json!.changed.modules.find((m) => m.name === 'billing');
    expect(billing).toMatchObject({ contract: 'breaking', dependents: ['orders'] });
    expect(since.json!.changed.modules.find((m) => m.name === 'catalog')).toMatchObject({ contract: 'unchanged' });
    expect(since.json!.violations.filter((v) => v.severity === 'error')).toEqual([]);

    const pretty = await runCli(['check', '--changed', '--since', 'base', '--no-leaks'], root);
    expect(pretty.stdout).toMatch(/changed since base \(merge base [0-9a-f]{12}\) and in the working tree/);
    expect(pretty.stdout).toContain('billing: 3 files, contract changed, BREAKING; reaches orders');
  });

  it('never lists installed packages or its own caches, even in a repository that tracks node_modules', async () => {
    const root = await repo({ '.gitignore': '', 'node_modules/left-pad/index.js': 'module.exports = 1;\n' });
    writeFile(root, 'node_modules/left-pad/index.js', 'module.exports = 2;\n');
    writeFile(root, 'node_modules/.cache/modulith/extraction.json', '{}');
    writeFile(root, '.modulith-cache/extraction.json', '{}');
    writeFile(root, 'modules/billing/internal/tax.ts', 'export const tax = 0.2;\n');
    const { code, json } = await changedJson(root, '--since', 'base');
    expect(code).toBe(0);
    expect(json!.changed.files).toEqual(['modules/billing/internal/tax.ts']);
    expect(json!.changed.shell).toEqual([]);
  });

  it('exit 2 outside a git repository, naming the fix', async () => {
    const root = writeProject(referenceApp());
    const run = await runCli(['check', '--changed', '--no-leaks'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('is not inside a git work tree');
    expect(run.stderr).toContain('without --changed');
  });

  it('exit 2 for an unknown REF', async () => {
    const root = await repo();
    const run = await runCli(['check', '--changed', '--since', 'no-such-branch', '--no-leaks'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"no-such-branch": unknown git revision');
  });

  it.each([['--output=PWNED'], ['-p'], ['main two'], ['main\nHEAD'], ['']])('refuses the hostile REF %j before git runs with it, exit 2', async (ref) => {
    const root = await repo();
    const run = await runCli(['check', '--changed', `--since=${ref.replace('PWNED', join(root, 'pwned'))}`, '--no-leaks'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--since.*(not a git revision|give a git revision)/);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(() => validateRef(ref)).toThrow();
  });

  it('--changed does not go with --watch', async () => {
    const run = await runCli(['check', '--changed', '--watch'], writeProject(referenceApp()));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--changed and --watch do not go together');
  });
});

describe('agents-stale', () => {
  it('warns for a generated AGENTS.md that is out of date, not for a missing one; --no-agents skips it', async () => {
    const root = writeProject(referenceApp());
    expect((await runCli(['agents'], root)).code).toBe(0);
    const fresh = await runCli(['check', '--no-leaks', '--no-contracts', '--format', 'json'], root);
    expect((JSON.parse(fresh.stdout) as ChangedJson).violations.filter((v) => v.rule === 'agents-stale')).toEqual([]);

    // orders now depends on catalog too: its AGENTS.md (and catalog's, listing dependents) no longer match.
    writeFile(root, 'modules/orders/module.json', JSON.stringify({ name: 'orders', dependsOn: ['billing', 'catalog'] }));
    writeFile(root, 'modules/kernel/AGENTS.md', ''); // removed below: a missing one gets no warning
    execFileSync('rm', [join(root, 'modules/kernel/AGENTS.md')]);
    const stale = await runCli(['check', '--no-leaks', '--no-contracts', '--format', 'json'], root);
    const warned = (JSON.parse(stale.stdout) as ChangedJson).violations.filter((v) => v.rule === 'agents-stale');
    expect(warned.map((v) => v.from)).toContain('modules/orders/AGENTS.md');
    expect(warned.every((v) => v.severity === 'warn')).toBe(true);
    expect(warned.map((v) => v.from)).not.toContain('modules/kernel/AGENTS.md');
    expect(stale.code).toBe(0);

    const skipped = await runCli(['check', '--no-leaks', '--no-contracts', '--no-agents', '--format', 'json'], root);
    expect((JSON.parse(skipped.stdout) as ChangedJson).violations.filter((v) => v.rule === 'agents-stale')).toEqual([]);
    expect(readFileSync(join(root, 'modules/orders/AGENTS.md'), 'utf8')).toContain('orders');
  });
});
