// @modulith-covers boundaries
import { afterAll, describe, expect, it } from '@jest/globals';
import { brief, check, manifest, removeProjects, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

/** Imports that are fine must stay silent: a boundary check with false positives gets switched off. */
describe('clean imports', () => {
  it('own internals, declared public APIs in every spelling, shared modules, builtins, npm packages and the self-reference', async () => {
    const root = writeProject(
      referenceApp({
        'package.json': JSON.stringify({ name: 'fixture-app', private: true, dependencies: { 'fake-orm': '1.0.0' } }),
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', baseUrl: '.', paths: { '@app/*': ['modules/*'], 'fixture-app': ['./src/index.ts'] } },
          include: ['src', 'modules', 'test'],
        }),
        'node_modules/fake-orm/package.json': JSON.stringify({ name: 'fake-orm', version: '1.0.0', main: 'index.js' }),
        'node_modules/fake-orm/index.js': 'module.exports = {};\n',
        'src/index.ts': "export * from '../modules/kernel/index.js';\n",
        'modules/orders/uses.ts': [
          "import { placeOrder } from './place-order.js';",
          "import { charge } from '../billing';",
          "import { charge as c2 } from '../billing/index';",
          "import { charge as c3 } from '../billing/index.js';",
          "import type { Invoice } from '../billing/index.js';",
          "import { charge as c4 } from '@app/billing';",
          "import { charge as c5 } from '@app/billing/index.js';",
          "import { money } from '../kernel/index.js';",
          "import { readFileSync } from 'node:fs';",
          "import path from 'path';",
          "import orm from 'fake-orm';",
          "import { money as m2 } from 'fixture-app';",
          "export { charge as reCharge } from '../billing/index.js';",
          "export const all = [placeOrder, charge, c2, c3, c4, c5, money, readFileSync, path, orm, m2];",
          'export type I = Invoice;',
          "export const lazy = () => import('../billing/index.js');",
          '',
        ].join('\n'),
        'modules/orders/own.spec.ts': "import { placeOrder } from './place-order.js';\njest.mock('./place-order.js');\njest.mock('../billing/index.js');\nit('x', () => placeOrder());\n",
        'modules/billing/internal/invoice.spec.ts': "import { InvoiceRepository } from './invoice.js';\njest.mock('../charge.js');\nit('x', () => new InvoiceRepository());\n",
        'modules/catalog/uses-kernel.ts': "import { money } from '../kernel';\nexport const k = money;\n",
        'src/app.module.ts': "import { placeOrder } from '../modules/orders/index.js';\nimport { charge } from '@app/billing';\nexport const app = [placeOrder, charge];\n",
        'test/app.e2e-spec.ts': "import { placeOrder } from '../modules/orders/index.js';\njest.mock('../modules/billing/index.js');\nit('x', () => placeOrder());\n",
      }),
    );
    const result = await check(root);
    expect(brief(result.violations)).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('a module index.ts re-exporting its own internals and other modules public APIs it declares', async () => {
    const root = writeProject(
      referenceApp({
        'modules/orders/index.ts': "export { placeOrder } from './place-order.js';\nexport { charge } from '../billing/index.js';\nexport * from './internal/model.js';\n",
        'modules/orders/internal/model.ts': 'export class Order {}\n',
      }),
    );
    expect(brief((await check(root)).violations)).toEqual([]);
  });
});

describe('tsconfig path aliases through an extends chain', () => {
  const files = (code: string): Record<string, string> =>
    referenceApp({
      'config/tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '..', paths: { '@app/*': ['modules/*'] } }, include: ['../src', '../modules'] }),
      'tsconfig.json': '// comments and trailing commas, as tsconfig allows\n{ "extends": "./config/tsconfig.base.json", "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", }, }\n',
      'modules/orders/aliased.ts': code,
    });

  it('resolves deep imports through an alias defined in the base config', async () => {
    const root = writeProject(files("import { InvoiceRepository } from '@app/billing/internal/invoice.js';\nimport { x } from '@app/billing/internal';\nexport const y = [InvoiceRepository, x];\n"));
    expect(brief((await check(root)).violations)).toEqual([
      { rule: 'deep-import', from: 'modules/orders/aliased.ts', to: 'modules/billing/internal/invoice.ts' },
      { rule: 'deep-import', from: 'modules/orders/aliased.ts', to: 'modules/billing/internal/index.ts' },
    ]);
  });

  it('accepts the public API through the same alias', async () => {
    const root = writeProject(files("import { charge } from '@app/billing';\nimport { money } from '@app/kernel/index.js';\nexport const y = [charge, money];\n"));
    expect(brief((await check(root)).violations)).toEqual([]);
  });

  it('takes the scanned folders from the inherited include (src/ shell code is checked)', async () => {
    const root = writeProject({ ...files('export const y = 1;\n'), 'src/shell.ts': "import { Invoice } from '@app/billing/internal/invoice.js';\nexport type S = Invoice;\n" });
    expect(brief((await check(root)).violations)).toEqual([{ rule: 'shell-imports-internals', from: 'src/shell.ts', to: 'modules/billing/internal/invoice.ts' }]);
  });
});

describe('modules roots', () => {
  it('reads roots from package.json#modulith, with files directly in a root as app shell', async () => {
    const root = writeProject({
      'package.json': JSON.stringify({ name: 'nest-app', modulith: { roots: ['src/modules'] } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext' } }),
      'src/main.ts': "import { AppModule } from './app.module.js';\nexport const m = AppModule;\n",
      'src/app.module.ts': "import { users } from './modules/users/index.js';\nimport { secret } from './modules/users/secret.js';\nexport const AppModule = [users, secret];\n",
      'src/modules/helpers.ts': 'export const h = 1;\n',
      'src/modules/users/module.json': manifest('users'),
      'src/modules/users/index.ts': 'export const users = 1;\n',
      'src/modules/users/secret.ts': 'export const secret = 1;\n',
    });
    expect(brief((await check(root)).violations)).toEqual([{ rule: 'shell-imports-internals', from: 'src/app.module.ts', to: 'src/modules/users/secret.ts' }]);
  });
});
