// @modulith-covers boundaries
// A cycle in the declared dependsOn graph is a `module-cycle` violation of `modulith check`
// (exit 1, reported with every other violation, baselined like any other), not a configuration
// error (exit 2) that hides everything else.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBaseline, DEFAULT_BASELINE, writeBaseline } from '../../src/boundaries/index.js';
import { runCli } from '../cli/support/run-cli.js';
import { brief, check, manifest, removeProjects, writeFile, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

const DEEP = "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n";
// orders dependsOn reporting dependsOn orders; no file imports across the two.
const ORDERS_MANIFEST = '{\n  "name": "orders",\n  "dependsOn": [\n    "billing",\n    "reporting"\n  ]\n}\n';
const REPORTING_MANIFEST = '{\n  "name": "reporting",\n  "description": "orders in numbers",\n  "dependsOn": ["orders"]\n}\n';

/** The reference app with a declared orders <-> reporting cycle and, elsewhere, a deep import. */
function cyclicApp(extra: Record<string, string> = {}): string {
  return writeProject(
    referenceApp({
      'modules/orders/module.json': ORDERS_MANIFEST,
      'modules/reporting/module.json': REPORTING_MANIFEST,
      'modules/reporting/index.ts': 'export const report = 1;\n',
      'modules/catalog/deep.ts': DEEP,
      ...extra,
    }),
  );
}

const CYCLE_VIOLATION = {
  rule: 'module-cycle',
  from: 'modules/orders/module.json',
  to: 'modules/reporting/module.json',
  fromModule: 'orders',
  toModule: 'reporting',
  message: 'declared dependencies form a cycle: orders -> reporting -> orders (modules/orders/module.json:5 lists reporting; modules/reporting/module.json:4 lists orders)',
  severity: 'error',
  line: 5,
  fix: 'break one edge, e.g. remove "reporting" from "dependsOn" in modules/orders/module.json: let orders publish an event that reporting listens to, or move what both need into a shared module',
  cycle: ['orders', 'reporting'],
};

describe('modulith check: a cycle in the declared graph', () => {
  it('is a module-cycle violation reported with every other one, exit 1 (json)', async () => {
    const root = cyclicApp();
    const run = await runCli(['check', '--format', 'json'], root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout);
    const errors = output.violations.filter((v: { severity: string }) => v.severity === 'error');
    expect(errors.map((v: Record<string, unknown>) => [v.rule, v.from, v.to])).toEqual([
      ['deep-import', 'modules/catalog/deep.ts', 'modules/billing/internal/invoice.ts'],
      ['module-cycle', 'modules/orders/module.json', 'modules/reporting/module.json'],
    ]);
    const cycle = output.violations.find((v: { rule: string }) => v.rule === 'module-cycle');
    expect(Object.keys(cycle).slice(0, 6)).toEqual(['rule', 'from', 'to', 'fromModule', 'toModule', 'message']);
    expect(cycle).toEqual(CYCLE_VIOLATION);
  });

  it('renders in the pretty, github and sarif reports at the module.json line of the dependsOn entry', async () => {
    const root = cyclicApp();
    const pretty = await runCli(['check', '--no-leaks', '--no-contracts'], root);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain(
      [
        'orders',
        '  ✖ modules/orders/module.json:5  module-cycle',
        `    ${CYCLE_VIOLATION.message}`,
        '    why: modules in a cycle cannot be understood, tested or extracted one at a time',
        `    fix: ${CYCLE_VIOLATION.fix}`,
      ].join('\n'),
    );
    const github = await runCli(['check', '--format', 'github', '--no-leaks', '--no-contracts'], root);
    expect(github.stdout).toContain('::error file=modules/orders/module.json,line=5,title=modulith module-cycle::declared dependencies form a cycle: orders -> reporting -> orders');
    const sarif = JSON.parse((await runCli(['check', '--format', 'sarif', '--no-leaks', '--no-contracts'], root)).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'module-cycle');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'modules/orders/module.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 5 } });
    expect(result.partialFingerprints).toEqual({ modulithKey: 'module-cycle|orders>reporting' });
  });

  it('is baselined by `modulith baseline`; check then passes, and fails on a stale entry once the cycle is broken', async () => {
    const root = cyclicApp();
    const recorded = await runCli(['baseline', '--no-leaks'], root);
    expect(recorded.code).toBe(0);
    expect(readFileSync(join(root, DEFAULT_BASELINE), 'utf8')).toContain(
      '{"rule":"module-cycle","from":"modules/orders/module.json","to":"modules/reporting/module.json","cycle":["orders","reporting"]}',
    );
    const known = await runCli(['check', '--format', 'json', '--no-leaks', '--no-contracts'], root);
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout)).toMatchObject({ known: 2, stale: [] });

    writeFile(root, 'modules/reporting/module.json', manifest('reporting'));
    const stale = await runCli(['check', '--format', 'json', '--no-leaks', '--no-contracts'], root);
    expect(stale.code).toBe(1);
    const output = JSON.parse(stale.stdout);
    expect(output.violations.filter((v: { severity: string }) => v.severity === 'error')).toEqual([]);
    expect(output).toMatchObject({
      known: 1,
      stale: [{ rule: 'module-cycle', from: 'modules/orders/module.json', to: 'modules/reporting/module.json', cycle: ['orders', 'reporting'] }],
    });
    const pretty = await runCli(['check', '--no-leaks', '--no-contracts'], root);
    expect(pretty.stdout).toContain('✖ module cycle orders -> reporting -> orders is in the baseline but no longer occurs');

    expect((await runCli(['baseline', '--no-leaks'], root)).code).toBe(0);
    expect((await runCli(['check', '--no-leaks', '--no-contracts'], root)).code).toBe(0);
  });

  it('a malformed module.json next to the cycle is still a configuration error, exit 2', async () => {
    const root = cyclicApp({ 'modules/catalog/module.json': '{ "name": "catalog", ' });
    const run = await runCli(['check', '--format', 'json'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/modules\/catalog\/module\.json: is not valid JSON/);
    // the cycle is not one of the configuration problems: check reports it once the configuration is repaired
    expect(run.stderr).not.toContain('cycle');
    const unknown = await runCli(['check'], cyclicApp({ 'modules/catalog/module.json': manifest('catalog', ['nope']) }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("modules/catalog/module.json: depends on unknown module 'nope'");
    expect(unknown.stderr).not.toContain('cycle');
  });
});

describe('the baseline entry of a declared cycle', () => {
  it('is the same however the cycle is written: order of modules, of dependsOn entries, formatting', async () => {
    const root = cyclicApp();
    writeBaseline(root, DEFAULT_BASELINE, createBaseline((await check(root)).found));
    const before = readFileSync(join(root, DEFAULT_BASELINE), 'utf8');
    writeFile(root, 'modules/orders/module.json', manifest('orders', ['reporting', 'billing']));
    writeFile(root, 'modules/reporting/module.json', manifest('reporting', ['orders']));
    const after = await check(root, { baseline: DEFAULT_BASELINE });
    expect(after.exitCode).toBe(0);
    expect(after.stale).toEqual([]);
    expect(after.found.find((v) => v.rule === 'module-cycle')).toMatchObject({ from: 'modules/orders/module.json', to: 'modules/reporting/module.json', line: 1 });
    expect(createBaseline(after.found)).toEqual(JSON.parse(before));
  });

  it('each cycle of a graph with several is its own entry; fixing one leaves the other known', async () => {
    const root = cyclicApp({
      'modules/catalog/module.json': manifest('catalog', ['billing']),
      'modules/billing/module.json': manifest('billing', ['catalog']),
      'modules/catalog/deep.ts': 'export const d = 1;\n',
    });
    const found = (await check(root)).found.filter((v) => v.rule === 'module-cycle');
    expect(found.map((v) => v.cycle)).toEqual([['billing', 'catalog'], ['orders', 'reporting']]);
    writeBaseline(root, DEFAULT_BASELINE, createBaseline(found));
    writeFile(root, 'modules/billing/module.json', manifest('billing'));
    const result = await check(root, { baseline: DEFAULT_BASELINE });
    expect(result.known).toBe(1);
    expect(result.stale).toEqual([{ rule: 'module-cycle', from: 'modules/billing/module.json', to: 'modules/catalog/module.json', cycle: ['billing', 'catalog'] }]);
  });
});

describe('a declared cycle that the imports form too', () => {
  const IMPORTS_BOTH_WAYS = {
    'modules/orders/stats.ts': "import { report } from '../reporting/index.js';\nexport const s = report;\n",
    'modules/reporting/collect.ts': "import { placeOrder } from '../orders/index.js';\nexport const c = placeOrder;\n",
  };

  it('is one violation, the import-level one, saying that dependsOn declares it too', async () => {
    const result = await check(cyclicApp(IMPORTS_BOTH_WAYS));
    const cycles = result.found.filter((v) => v.rule === 'module-cycle');
    expect(brief(cycles)).toEqual([{ rule: 'module-cycle', from: 'modules/orders/stats.ts', to: 'modules/reporting/index.ts' }]);
    expect(cycles[0].cycle).toEqual(['orders', 'reporting']);
    expect(cycles[0].message).toBe(
      'modules form a cycle: orders -> reporting -> orders (modules/orders/stats.ts:1 imports modules/reporting/index.ts; modules/reporting/collect.ts:1 imports modules/orders/index.ts); ' +
        'declared in "dependsOn" too (modules/orders/module.json, modules/reporting/module.json)',
    );
    expect(cycles[0].fix).toContain('and remove that edge from "dependsOn"');
  });

  it('keeps its baseline entry known when the imports go but the declaration stays, stale when both go', async () => {
    const root = cyclicApp(IMPORTS_BOTH_WAYS);
    writeBaseline(root, DEFAULT_BASELINE, createBaseline((await check(root)).found));
    writeFile(root, 'modules/reporting/collect.ts', 'export const c = 1;\n');
    const declaredOnly = await check(root, { baseline: DEFAULT_BASELINE });
    expect(declaredOnly.found.find((v) => v.rule === 'module-cycle')!.from).toBe('modules/orders/module.json');
    expect(declaredOnly.stale).toEqual([]);
    expect(declaredOnly.violations.filter((v) => v.severity === 'error')).toEqual([]);

    writeFile(root, 'modules/reporting/module.json', manifest('reporting'));
    const broken = await check(root, { baseline: DEFAULT_BASELINE });
    expect(broken.stale.map((e) => e.cycle)).toEqual([['orders', 'reporting']]);
    expect(broken.exitCode).toBe(1);
  });
});
