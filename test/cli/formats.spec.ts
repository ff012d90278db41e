// @modulith-covers cli
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { manifest, removeProjects, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { runCli, type CliRun } from './support/run-cli.js';

afterAll(removeProjects);

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** One of each: an error with a line, a module cycle, a warning, and a stale baseline entry. */
let root: string;
const run = (format: string): Promise<CliRun> => runCli(['check', '--format', format, '--no-leaks', '--no-contracts'], root);

beforeAll(async () => {
  root = writeProject(
    referenceApp({
      'modules/orders/deep, odd%name.ts': "\nimport { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n",
      'modules/billing/notify.ts': "import { placeOrder } from '../orders/index.js';\nexport const n = placeOrder;\n",
      'modules/catalog/module.json': manifest('catalog', ['kernel']),
      'modulith-baseline.json': JSON.stringify({ version: 1, violations: [{ rule: 'deep-import', from: 'modules/orders/gone.ts', to: 'modules/billing/internal/invoice.ts' }] }),
    }),
  );
});

describe('--format json', () => {
  it("prints exactly PRODUCT.md's shape: violations with rule, from, to, fromModule, toModule, message first; known; stale", async () => {
    const { code, stdout } = await run('json');
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual(['violations', 'known', 'stale']);
    for (const v of output.violations) expect(Object.keys(v).slice(0, 6)).toEqual(['rule', 'from', 'to', 'fromModule', 'toModule', 'message']);
    expect(output.violations.map((v: Record<string, unknown>) => [v.rule, v.from, v.to, v.fromModule, v.toModule])).toEqual([
      ['module-cycle', 'modules/billing/notify.ts', 'modules/orders/index.ts', 'billing', 'orders'],
      ['undeclared-dependency', 'modules/billing/notify.ts', 'modules/orders/index.ts', 'billing', 'orders'],
      ['unused-dependency', 'modules/catalog/module.json', 'modules/kernel/index.ts', 'catalog', 'kernel'],
      ['deep-import', 'modules/orders/deep, odd%name.ts', 'modules/billing/internal/invoice.ts', 'orders', 'billing'],
    ]);
    expect(output.violations[3]).toEqual({
      rule: 'deep-import',
      from: 'modules/orders/deep, odd%name.ts',
      to: 'modules/billing/internal/invoice.ts',
      fromModule: 'orders',
      toModule: 'billing',
      message: "orders reaches into billing's internals; import from '../billing/index.js' instead",
      severity: 'error',
      line: 2,
      fix: "export what orders needs from modules/billing/index.ts and import '../billing/index.js'",
    });
    expect(output.known).toBe(0);
    expect(output.stale).toEqual([{ rule: 'deep-import', from: 'modules/orders/gone.ts', to: 'modules/billing/internal/invoice.ts' }]);
  });
});

describe('--format github', () => {
  it('prints one workflow-command annotation per violation and stale entry, escaped', async () => {
    const { code, stdout } = await run('github');
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContain(
      "::error file=modules/orders/deep%2C odd%25name.ts,line=2,title=modulith deep-import::orders reaches into billing's internals; import from '../billing/index.js' instead. Fix: export what orders needs from modules/billing/index.ts and import '../billing/index.js'",
    );
    expect(lines.filter((l) => l.startsWith('::warning file=modules/catalog/module.json,line=1,title=modulith unused-dependency::'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('::error file=modulith-baseline.json,title=modulith stale-baseline-entry::deep-import modules/orders/gone.ts'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(5);
    expect(lines[lines.length - 1]).toBe('modulith check: 3 errors, 1 warning, 0 known, 1 stale');
  });
});

describe('--format sarif', () => {
  it('is SARIF 2.1.0 that validates against the schema, with rules, levels, locations and fingerprints', async () => {
    const { code, stdout } = await run('sarif');
    expect(code).toBe(1);
    const log = JSON.parse(stdout);
    const schema = JSON.parse(readFileSync(new URL('./sarif-2.1.0-subset.schema.json', import.meta.url), 'utf8'));
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);

    const sarifRun = log.runs[0];
    const ruleIds = sarifRun.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['deep-import', 'module-cycle', 'unused-dependency', 'stale-baseline-entry']));
    for (const result of sarifRun.results) expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
    const deep = sarifRun.results.find((r: { ruleId: string }) => r.ruleId === 'deep-import');
    expect(deep).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'modules/orders/deep%2C%20odd%25name.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 2 } } }],
      partialFingerprints: { modulithKey: 'deep-import|modules/orders/deep, odd%name.ts|modules/billing/internal/invoice.ts' },
    });
    expect(sarifRun.results.find((r: { ruleId: string }) => r.ruleId === 'unused-dependency').level).toBe('warning');
    expect(sarifRun.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
  });

  it('rejects what the standard rejects (the schema is not a rubber stamp)', () => {
    const schema = JSON.parse(readFileSync(new URL('./sarif-2.1.0-subset.schema.json', import.meta.url), 'utf8'));
    const validate = addFormats(new Ajv({ strict: false })).compile(schema);
    const valid = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'error' }] }] };
    expect(validate(valid)).toBe(true);
    expect(validate({ ...valid, version: '2.0.0' })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, location: {} }] }] })).toBe(false);
  });
});

describe('--format pretty', () => {
  it('groups by module and ends with a summary line, listing stale baseline entries', async () => {
    const { stdout } = await run('pretty');
    expect(stdout).toContain('billing\n  ✖ modules/billing/notify.ts:1  module-cycle\n    modules form a cycle: billing -> orders -> billing');
    expect(stdout).toContain('stale baseline entries (modulith-baseline.json)\n  ✖ deep-import modules/orders/gone.ts -> modules/billing/internal/invoice.ts is in the baseline but no longer occurs');
    expect(stdout).toMatch(/✖ 3 errors, 1 warning in 3 modules \(\d+ files in 4 modules checked in \d+ ms; 1 stale baseline entry\)\n$/);
  });
});
