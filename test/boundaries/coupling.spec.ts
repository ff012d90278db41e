// @modulith-covers boundaries
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CheckResult } from '../../src/boundaries/index.js';
import { brief, check, manifest, removeProjects, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

const INVOICE = 'modules/billing/internal/invoice.ts';
const INTERNAL_INDEX = 'modules/billing/internal/index.ts';

/**
 * Every kind of coupling PRODUCT.md lists, one file each, in one project: the check must report
 * exactly these, one violation per import, with the rule that names the problem best.
 */
const CASES: { file: string; code: string; rule: string; to: string }[] = [
  { file: 'modules/orders/deep-relative-js.ts', code: "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const x = InvoiceRepository;\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-relative.ts', code: "import { InvoiceRepository } from '../billing/internal/invoice';\nexport const x = InvoiceRepository;\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-folder-index.ts', code: "import { InvoiceRepository } from '../billing/internal';\nexport const x = InvoiceRepository;\n", rule: 'deep-import', to: INTERNAL_INDEX },
  { file: 'modules/orders/deep-type-only.ts', code: "import type { Invoice } from '../billing/internal/invoice.js';\nexport type X = Invoice;\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-inline-type.ts', code: "import { type Invoice } from '../billing/internal/invoice.js';\nexport type X = Invoice;\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-dynamic.ts', code: "export const load = () => import('../billing/internal/invoice.js');\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-template.ts', code: 'export const load = () => import(`../billing/internal/invoice.js`);\n', rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-require.ts', code: "declare const require: (id: string) => unknown;\nexport const r = require('../billing/internal/invoice');\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-import-equals.ts', code: "import invoice = require('../billing/internal/invoice');\nexport const r = invoice;\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-export-from.ts', code: "export { InvoiceRepository } from '../billing/internal/invoice.js';\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/deep-export-star.ts', code: "export * from '../billing/internal/index.js';\n", rule: 'deep-import', to: INTERNAL_INDEX },
  { file: 'modules/orders/deep-manifest.ts', code: "import manifest from '../billing/module.json' with { type: 'json' };\nexport const m = manifest;\n", rule: 'deep-import', to: 'modules/billing/module.json' },
  { file: 'modules/orders/deep.spec.ts', code: "import { InvoiceRepository } from '../billing/internal/invoice.js';\nit('x', () => expect(InvoiceRepository).toBeDefined());\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/orders/mock.spec.ts', code: "jest.mock('../billing/internal/invoice');\nit('x', () => undefined);\n", rule: 'test-mocks-internals', to: INVOICE },
  { file: 'modules/orders/esm-mock.spec.ts', code: "jest.unstable_mockModule('../billing/internal/index.js', () => ({}));\nit('x', () => undefined);\n", rule: 'test-mocks-internals', to: INTERNAL_INDEX },
  { file: 'modules/orders/vi-mock.spec.ts', code: "vi.mock('../billing/internal/invoice.js');\nit('x', () => undefined);\n", rule: 'test-mocks-internals', to: INVOICE },
  { file: 'modules/catalog/undeclared.ts', code: "import { charge } from '../billing/index.js';\nexport const c = charge;\n", rule: 'undeclared-dependency', to: 'modules/billing/index.ts' },
  { file: 'modules/catalog/undeclared-folder.ts', code: "import { charge } from '../billing';\nexport const c = charge;\n", rule: 'undeclared-dependency', to: 'modules/billing/index.ts' },
  { file: 'modules/catalog/undeclared-type.ts', code: "import type { Invoice } from '../billing/index.js';\nexport type C = Invoice;\n", rule: 'undeclared-dependency', to: 'modules/billing/index.ts' },
  { file: 'modules/catalog/undeclared-deep.ts', code: "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const c = InvoiceRepository;\n", rule: 'deep-import', to: INVOICE },
  { file: 'modules/kernel/shared-uses-module.ts', code: "import { catalog } from '../catalog/index.js';\nexport const k = catalog;\n", rule: 'shared-imports-module', to: 'modules/catalog/index.ts' },
  { file: 'src/shell-deep.ts', code: "import { InvoiceRepository } from '../modules/billing/internal/invoice.js';\nexport const s = InvoiceRepository;\n", rule: 'shell-imports-internals', to: INVOICE },
  { file: 'test/e2e.spec.ts', code: "import { InvoiceRepository } from '../modules/billing/internal/invoice.js';\nit('x', () => expect(InvoiceRepository).toBeDefined());\n", rule: 'shell-imports-internals', to: INVOICE },
  { file: 'test/e2e-mock.spec.ts', code: "jest.mock('../modules/billing/internal/invoice.js');\nit('x', () => undefined);\n", rule: 'test-mocks-internals', to: INVOICE },
  { file: 'modules/orders/missing.ts', code: "import { nothing } from './does-not-exist.js';\nexport const m = nothing;\n", rule: 'unresolved-import', to: './does-not-exist.js' },
];

describe('every kind of coupling', () => {
  let result: CheckResult;
  beforeAll(async () => {
    const files = referenceApp({
      // orders' public index.ts re-exports billing's internals: the leak through a barrel
      'modules/orders/index.ts': "export { placeOrder } from './place-order.js';\nexport { InvoiceRepository } from '../billing/internal/invoice.js';\n",
      ...Object.fromEntries(CASES.map((c) => [c.file, c.code])),
    });
    result = await check(writeProject(files));
  });

  it.each(CASES)('$file: $rule', ({ file, rule, to }) => {
    expect(brief(result.violations.filter((v) => v.from === file))).toEqual([{ rule, from: file, to }]);
  });

  it('a public index.ts re-exporting another module internals is reexports-internals', () => {
    expect(brief(result.violations.filter((v) => v.from === 'modules/orders/index.ts'))).toEqual([
      { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: INVOICE },
    ]);
  });

  it('reports nothing else, and exits 1', () => {
    const expected = [...CASES.map(({ rule, file, to }) => ({ rule, from: file, to })), { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: INVOICE }];
    const key = (v: { rule: string; from: string; to: string }): string => `${v.from}|${v.rule}|${v.to}`;
    expect(brief(result.violations).map(key).sort()).toEqual(expected.map(key).sort());
    expect(result.exitCode).toBe(1);
  });

  it('locates each violation on its line and explains the fix', () => {
    const dynamic = result.violations.find((v) => v.from === 'modules/orders/deep-require.ts')!;
    expect(dynamic.line).toBe(2);
    expect(dynamic.message).toBe("orders reaches into billing's internals with require(); import from '../billing' instead");
    const plain = result.violations.find((v) => v.from === 'modules/orders/deep-relative-js.ts')!;
    expect(plain).toMatchObject({ fromModule: 'orders', toModule: 'billing', line: 1, severity: 'error' });
    expect(plain.message).toBe("orders reaches into billing's internals; import from '../billing/index.js' instead");
    const undeclared = result.violations.find((v) => v.from === 'modules/catalog/undeclared.ts')!;
    expect(undeclared.fix).toBe('add "billing" to "dependsOn" in modules/catalog/module.json, or remove the import');
  });
});

describe('module-level cycles', () => {
  it('finds a cycle that exists only between modules, naming one import per edge', async () => {
    const root = writeProject(
      referenceApp({
        // billing -> orders (undeclared) closes orders -> billing; no file-level cycle exists
        'modules/billing/notify.ts': "import { placeOrder } from '../orders/index.js';\nexport const n = placeOrder;\n",
      }),
    );
    const result = await check(root);
    expect(brief(result.violations)).toEqual([
      { rule: 'module-cycle', from: 'modules/billing/notify.ts', to: 'modules/orders/index.ts' },
      { rule: 'undeclared-dependency', from: 'modules/billing/notify.ts', to: 'modules/orders/index.ts' },
    ]);
    const cycle = result.violations[0];
    expect(cycle.cycle).toEqual(['billing', 'orders']);
    expect(cycle.message).toBe(
      'modules form a cycle: billing -> orders -> billing (modules/billing/notify.ts:1 imports modules/orders/index.ts; modules/orders/place-order.ts:1 imports modules/billing/index.ts)',
    );
  });

  it('finds a cycle between shared modules, which need no declarations', async () => {
    const root = writeProject(
      referenceApp({
        'modules/ids/module.json': manifest('ids', [], { shared: true }),
        'modules/ids/index.ts': "import { money } from '../kernel/index.js';\nexport const id = money;\n",
        'modules/kernel/uses-ids.ts': "import { id } from '../ids/index.js';\nexport const k = id;\n",
      }),
    );
    const result = await check(root);
    expect(brief(result.violations)).toEqual([{ rule: 'module-cycle', from: 'modules/ids/index.ts', to: 'modules/kernel/index.ts' }]);
    expect(result.violations[0].cycle).toEqual(['ids', 'kernel']);
  });

  it('does not count tests or mocks as module edges', async () => {
    const root = writeProject(
      referenceApp({
        'modules/billing/billing.spec.ts': "import { placeOrder } from '../orders/index.js';\nit('x', () => placeOrder());\n",
        'modules/billing/module.json': manifest('billing', []),
      }),
    );
    const result = await check(root);
    expect(brief(result.violations)).toEqual([{ rule: 'undeclared-dependency', from: 'modules/billing/billing.spec.ts', to: 'modules/orders/index.ts' }]);
  });
});

describe('declarations and folders', () => {
  it('warns about declared dependencies no file uses, without failing', async () => {
    const root = writeProject(referenceApp({ 'modules/catalog/module.json': manifest('catalog', ['billing']) }));
    const result = await check(root);
    expect(result.violations.map(({ rule, from, to, severity, line }) => ({ rule, from, to, severity, line }))).toEqual([
      { rule: 'unused-dependency', from: 'modules/catalog/module.json', to: 'modules/billing/index.ts', severity: 'warn', line: 1 },
    ]);
    expect(result.exitCode).toBe(0);
  });

  it('reports a modules-root subfolder without module.json once, as orphan-file', async () => {
    const root = writeProject(referenceApp({ 'modules/legacy/util.ts': 'export const u = 1;\n', 'modules/legacy/deeper/more.ts': 'export const m = 1;\n' }));
    const result = await check(root);
    expect(brief(result.violations)).toEqual([{ rule: 'orphan-file', from: 'modules/legacy', to: 'modules/legacy/module.json' }]);
    expect(result.violations[0].message).toContain('holds 2 source files');
  });

  it('reports unresolved path-alias imports inside modules but leaves missing npm packages to the compiler', async () => {
    const root = writeProject(
      referenceApp({
        'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@app/*': ['modules/*'] } }, include: ['src', 'modules'] }),
        'modules/orders/aliased-missing.ts': "import { x } from '@app/orders/nope.js';\nimport pkg from 'not-installed-anywhere';\nexport const y = [x, pkg];\n",
      }),
    );
    const result = await check(root);
    expect(brief(result.violations)).toEqual([{ rule: 'unresolved-import', from: 'modules/orders/aliased-missing.ts', to: '@app/orders/nope.js' }]);
  });
});
