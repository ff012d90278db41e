// @modulith-covers boundaries
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { modulithRules, MODULITH_OPTIONS } from '../../src/depcruise.js';
import { check, removeProjects, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

/** Runs plain dependency-cruiser with the generated configuration, as `depcruise --validate` in CI would. */
async function plainDepcruise(rootDir: string): Promise<{ rule: string; from: string; to: string }[]> {
  const config = modulithRules({ rootDir });
  const options = config[MODULITH_OPTIONS];
  const tsConfig = join(rootDir, 'tsconfig.json');
  const { output } = await cruise(
    options.scan,
    { ...config.options, baseDir: rootDir, tsConfig: { fileName: tsConfig }, validate: true, ruleSet: { forbidden: config.forbidden } },
    undefined,
    { tsConfig: extractTSConfig(tsConfig) },
  );
  // generated rules are named `<rule id>` or `<rule id>/<qualifier>`
  return (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name.split('/')[0], from: v.from, to: v.to }));
}

const key = (v: { rule: string; from: string; to: string }): string => `${v.rule} ${v.from} -> ${v.to}`;

describe('modulithRules() as plain dependency-cruiser rules', () => {
  it('passes dependency-cruiser validation and keeps modulith options out of its schema', () => {
    const root = writeProject(referenceApp());
    const config = modulithRules({ rootDir: root });
    expect(Object.keys(config).sort()).toEqual(['forbidden', 'options']);
    expect(config[MODULITH_OPTIONS]).toMatchObject({ rootDir: root, roots: ['modules'], tsConfig: 'tsconfig.json', scan: ['modules', 'src'] });
    // dependency-cruiser merges same-named rules when it reads a config file: every name is unique
    expect(config.forbidden!.map((r) => r.name)).toEqual([
      'deep-import',
      'shell-imports-internals',
      'test-mocks-internals',
      'test-mocks-internals/app-shell',
      'undeclared-dependency/billing',
      'undeclared-dependency/catalog',
      'shared-imports-module/kernel',
      'undeclared-dependency/orders',
      'unresolved-import',
    ]);
  });

  it('finds the same file-level violations as modulith check', async () => {
    const root = writeProject(
      referenceApp({
        'modules/orders/deep.ts': "import { InvoiceRepository } from '../billing/internal/invoice.js';\nimport type { Invoice } from '../billing/internal';\nexport const x = [InvoiceRepository];\nexport type I = Invoice;\n",
        'modules/orders/lazy.ts': "export const l = () => import('../billing/internal/invoice.js');\n",
        'modules/orders/mock.spec.ts': "jest.mock('../billing/internal/invoice.js');\nimport { placeOrder } from './place-order.js';\nit('x', () => placeOrder());\n",
        'modules/orders/own.spec.ts': "jest.mock('./place-order.js');\nit('x', () => undefined);\n",
        'modules/catalog/undeclared.ts': "import { charge } from '../billing/index.js';\nexport const c = charge;\n",
        'modules/kernel/up.ts': "import { catalog } from '../catalog/index.js';\nexport const k = catalog;\n",
        'modules/orders/missing.ts': "import { m } from './nowhere.js';\nexport const y = m;\n",
        'src/shell.ts': "import { InvoiceRepository } from '../modules/billing/internal/invoice.js';\nexport const s = InvoiceRepository;\n",
        'test/e2e.spec.ts': "jest.mock('../modules/billing/internal/invoice.js');\nimport { placeOrder } from '../modules/orders/index.js';\nit('x', () => placeOrder());\n",
      }),
    );
    const fromCheck = (await check(root)).violations.map(key).sort();
    const fromDepcruise = [...new Set((await plainDepcruise(root)).map(key))].sort();
    expect(fromDepcruise).toEqual(fromCheck);
    expect(fromCheck).toEqual([
      'deep-import modules/orders/deep.ts -> modules/billing/internal/index.ts',
      'deep-import modules/orders/deep.ts -> modules/billing/internal/invoice.ts',
      'deep-import modules/orders/lazy.ts -> modules/billing/internal/invoice.ts',
      'shared-imports-module modules/kernel/up.ts -> modules/catalog/index.ts',
      'shell-imports-internals src/shell.ts -> modules/billing/internal/invoice.ts',
      'test-mocks-internals modules/orders/mock.spec.ts -> modules/billing/internal/invoice.ts',
      'test-mocks-internals test/e2e.spec.ts -> modules/billing/internal/invoice.ts',
      'undeclared-dependency modules/catalog/undeclared.ts -> modules/billing/index.ts',
      'unresolved-import modules/orders/missing.ts -> ./nowhere.js',
    ]);
  });
});
