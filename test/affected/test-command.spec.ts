// @modulith-covers affected, cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { removeProjects, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { runCli } from '../cli/support/run-cli.js';

afterAll(removeProjects);

const PASSING = "import { it } from '@jest/globals';\nit('passes', () => undefined);\n";

/** billing <- orders, catalog, kernel (shared); module tests, tests under test/ with and without the covers header, and files that are no tests to run. */
function project(packageJson: object = { name: 'fixture-app', private: true, scripts: { test: 'jest --runInBand' }, devDependencies: { jest: '*' } }): string {
  return writeProject(
    referenceApp({
      'package.json': JSON.stringify(packageJson),
      'modules/billing/charge.spec.ts': PASSING,
      'modules/billing/internal/invoice.test.ts': PASSING,
      'modules/orders/place-order.spec.ts': PASSING,
      'modules/catalog/catalog.spec.mts': PASSING,
      'test/billing-flow.spec.ts': `// The checkout flow, end to end.\n// @modulith-covers billing, orders\n${PASSING}`,
      'test/catalog.e2e.spec.ts': `/**\n * Browsing.\n * @modulith-covers catalog\n */\n${PASSING}`,
      'test/unassigned.spec.ts': PASSING,
      'test/typo.spec.ts': `// @modulith-covers biling\n${PASSING}`,
      'test/support/helper.ts': 'export const help = 1;\n',
      'test/checkout/flow.spec.ts': `// @modulith-covers orders\n${PASSING}`,
      'test/checkout/cart-fixture.ts': 'export const cart = [];\n',
      'test/fixtures/app/modules/x/x.spec.ts': PASSING,
      'dist/modules/billing/charge.spec.js': PASSING,
    }),
  );
}

interface PlanJson {
  selection: string;
  modules: Array<{ name: string; reason: string; files: string[] }>;
  other: Array<{ file: string; reason: string }>;
  files: string[];
  skipped: Array<{ file: string; reason: string; fix: string }>;
  warnings: string[];
  runner: { name: string; detectedBy: string } | null;
  command: string[] | null;
  affected?: { changed: string[]; affected: string[]; reasons: Record<string, string> };
}

const plan = async (root: string, ...args: string[]) => {
  const run = await runCli(['test', '--dry-run', '--format', 'json', ...args], root);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as PlanJson;
};

describe('modulith test --dry-run', () => {
  it('an internal change: the module tests and the tests covering it; unassigned ones skipped with the fix', async () => {
    const root = project();
    const p = await plan(root, '--files', 'modules/billing/internal/invoice.ts');
    expect(p.selection).toBe('affected');
    expect(p.modules).toEqual([{ name: 'billing', reason: 'changed (internals only)', files: ['modules/billing/charge.spec.ts', 'modules/billing/internal/invoice.test.ts', 'test/billing-flow.spec.ts'] }]);
    expect(p.files).toEqual(['modules/billing/charge.spec.ts', 'modules/billing/internal/invoice.test.ts', 'test/billing-flow.spec.ts']);
    expect(p.other).toEqual([]);
    expect(p.skipped.map((s) => s.file)).toEqual(['test/typo.spec.ts', 'test/unassigned.spec.ts']);
    expect(p.skipped[0]!.fix).toContain('// @modulith-covers');
    expect(p.warnings).toEqual([expect.stringContaining("test/typo.spec.ts: @modulith-covers names 'biling', not a module")]);
    expect(p.runner).toEqual({ name: 'jest', detectedBy: 'package.json scripts.test' });
    expect(p.command).toEqual(['npm', 'test', '--', '--runTestsByPath', ...p.files]);
    expect(p.affected).toMatchObject({ changed: ['billing'], affected: ['billing'] });
  });

  it('named modules, runner arguments after --; pretty prints modules, why, counts and the command', async () => {
    const root = project();
    const p = await plan(root, 'orders', 'catalog', '--', '--ci', '--coverage=false');
    expect(p.selection).toBe('modules');
    expect(p.modules.map((m) => [m.name, m.files])).toEqual([
      ['catalog', ['modules/catalog/catalog.spec.mts', 'test/catalog.e2e.spec.ts']],
      ['orders', ['modules/orders/place-order.spec.ts', 'test/billing-flow.spec.ts', 'test/checkout/flow.spec.ts']],
    ]);
    expect(p.command!.slice(-2)).toEqual(['--ci', '--coverage=false']);

    const pretty = await runCli(['test', '--dry-run', 'orders'], root);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain('modulith test: 3 test files for 1 module');
    expect(pretty.stdout).toMatch(/orders +3 files +named on the command line/);
    expect(pretty.stdout).toContain('skipped 2 test files outside every module');
    expect(pretty.stdout).toContain('command: npm test -- --runTestsByPath modules/orders/place-order.spec.ts test/billing-flow.spec.ts test/checkout/flow.spec.ts');
  });

  it('app-shell code: every module and the unassigned tests; no filter: every test; never fixtures or build output', async () => {
    const root = project();
    const shell = await plan(root, '--files', 'src/main.ts');
    expect(shell.modules.map((m) => m.name)).toEqual(['billing', 'catalog', 'kernel', 'orders']);
    expect(shell.other).toEqual([
      { file: 'test/typo.spec.ts', reason: 'covers no declared module, and the app shell changed' },
      { file: 'test/unassigned.spec.ts', reason: 'covers no declared module, and the app shell changed' },
    ]);
    expect(shell.skipped).toEqual([]);
    const all = await plan(root);
    expect(all.selection).toBe('all');
    expect(all.files).toEqual([
      'modules/billing/charge.spec.ts',
      'modules/billing/internal/invoice.test.ts',
      'modules/catalog/catalog.spec.mts',
      'modules/orders/place-order.spec.ts',
      'test/billing-flow.spec.ts',
      'test/catalog.e2e.spec.ts',
      'test/checkout/flow.spec.ts',
      'test/typo.spec.ts',
      'test/unassigned.spec.ts',
    ]);
    expect(shell.files).toEqual(all.files);
  });

  it('a contract change: the dependents\' tests; changed tests outside modules run themselves, a changed helper every test outside modules', async () => {
    const root = project();
    // billing's index.ts is not recorded in a module.api.md here: --all-dependents reaches orders either way
    const contract = await plan(root, '--files', 'modules/billing/index.ts', '--all-dependents');
    expect(contract.modules.map((m) => m.name)).toEqual(['billing', 'orders']);
    const changedTest = await plan(root, '--files', 'test/unassigned.spec.ts');
    expect(changedTest.files).toEqual(['test/unassigned.spec.ts']);
    expect(changedTest.other).toEqual([{ file: 'test/unassigned.spec.ts', reason: 'changed' }]);
    const helper = await plan(root, '--files', 'test/support/helper.ts');
    expect(helper.files).toEqual(['test/billing-flow.spec.ts', 'test/catalog.e2e.spec.ts', 'test/checkout/flow.spec.ts', 'test/typo.spec.ts', 'test/unassigned.spec.ts']);
    // a helper in a test folder: the tests of that folder
    const near = await plan(root, '--files', 'test/checkout/cart-fixture.ts');
    expect(near.other).toEqual([{ file: 'test/checkout/flow.spec.ts', reason: 'a test helper changed (test/checkout/cart-fixture.ts)' }]);
  });

  it('docs only: nothing to test, exit 0 without running anything', async () => {
    const root = project();
    const p = await plan(root, '--files', 'README.md,docs/a.png');
    expect(p.files).toEqual([]);
    expect(p.command).toBeNull();
    const run = await runCli(['test', '--files', 'README.md'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('nothing to test (the change affects no module)');
  });

  it('an unknown module, module names with --affected, a hostile --files, no runner: exit 2', async () => {
    const root = project();
    const unknown = await runCli(['test', 'billing', 'nope'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no module named 'nope' (known: billing, catalog, kernel, orders)");
    expect((await runCli(['test', '--affected', 'billing'], root)).code).toBe(2);
    const hostile = await runCli(['test', '--files', '../x.ts'], root);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toContain("'..' may not leave");
    const none = project({ name: 'no-runner', private: true });
    const noRunner = await runCli(['test', 'billing'], none);
    expect(noRunner.code).toBe(2);
    expect(noRunner.stderr).toContain('no test runner found');
  });

  it('Vitest: npx vitest run with the files; a plain jest dependency: npx jest', async () => {
    const vitest = await plan(project({ name: 'v', private: true, devDependencies: { vitest: '^3.0.0' } }), 'catalog', '--', '--reporter=dot');
    expect(vitest.runner).toEqual({ name: 'vitest', detectedBy: 'package.json devDependencies.vitest' });
    expect(vitest.command).toEqual(['npx', 'vitest', 'run', 'modules/catalog/catalog.spec.mts', 'test/catalog.e2e.spec.ts', '--reporter=dot']);
    const jest = await plan(project({ name: 'j', private: true, scripts: { test: 'tsc && jest' }, devDependencies: { jest: '*' } }), 'orders');
    expect(jest.command).toEqual(['npx', 'jest', '--runTestsByPath', 'modules/orders/place-order.spec.ts', 'test/billing-flow.spec.ts', 'test/checkout/flow.spec.ts']);
  });
});

describe('modulith test (a real Jest run)', () => {
  it('runs the selected tests with the project\'s Jest: exit 0 when they pass, the runner\'s code when one fails', async () => {
    const root = writeProject({
      'package.json': JSON.stringify({ name: 'tiny', private: true, scripts: { test: 'jest' }, jest: { testEnvironment: 'node', transform: {} } }),
      'modules/good/module.json': JSON.stringify({ name: 'good', dependsOn: [] }),
      'modules/good/index.js': 'module.exports = { one: 1 };\n',
      'modules/good/good.test.js': "const { one } = require('./index.js');\ntest('one is one', () => expect(one).toBe(1));\n",
      'modules/bad/module.json': JSON.stringify({ name: 'bad', dependsOn: [] }),
      'modules/bad/index.js': 'module.exports = {};\n',
      'modules/bad/bad.test.js': "test('fails on purpose', () => expect(1).toBe(2));\n",
    });
    symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');

    const good = await runCli(['test', 'good'], root);
    expect(good.stderr).toContain('modulith test: 1 test file for 1 module');
    expect(good.stderr).toContain('good.test.js');
    expect(`${good.stdout}${good.stderr}`).toMatch(/Tests: +1 passed, 1 total/);
    expect(good.code).toBe(0);

    const bad = await runCli(['test', 'bad'], root);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/Tests: +1 failed, 1 total/);
    expect(bad.code).toBe(1);
  }, 120_000);
});
