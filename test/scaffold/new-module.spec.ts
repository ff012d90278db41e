// @modulith-covers scaffold, core, leaks, runtime
import { afterAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import ts from 'typescript';
import { loadApplicationModules, ModuleModelError } from '../../src/core/index.js';
import { findLeaks } from '../../src/leaks/index.js';
import { ModulithModule } from '../../src/runtime/index.js';
import { newModule } from '../../src/scaffold/index.js';
import { read, readJson, REPO_ROOT, removeProject, snapshot, writeProject } from './temp-project.js';

const projects: string[] = [];
afterAll(() => projects.forEach(removeProject));

const ESM_PROJECT = {
  'package.json': JSON.stringify({ name: 'shop', type: 'module', modulith: { roots: ['modules'] } }, null, 2),
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', experimentalDecorators: true } }),
};

function project(files: Record<string, string>, inRepo = false): string {
  const root = writeProject(files, inRepo);
  projects.push(root);
  return root;
}

function problemsOf(action: () => unknown): Array<{ file: string; message: string; fix: string }> {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ModuleModelError);
    return (error as ModuleModelError).problems;
  }
  throw new Error('expected a ModuleModelError');
}

describe('newModule: files', () => {
  it('writes module.json, the public API, the feature module, the facade, its internal service and a spec', () => {
    const root = project({ ...ESM_PROJECT, 'node_modules/nest-modulith/module.schema.json': '{}', 'modules/.keep': '' });
    const result = newModule(root, 'order-history');
    expect(result).toEqual({
      name: 'order-history',
      dir: 'modules/order-history',
      dependsOn: [],
      written: [
        'modules/order-history/module.json',
        'modules/order-history/index.ts',
        'modules/order-history/order-history.facade.ts',
        'modules/order-history/order-history.module.ts',
        'modules/order-history/internal/order-history.service.ts',
        'modules/order-history/order-history.service.spec.ts',
      ],
      moduleClass: 'OrderHistoryModule',
      facadeClass: 'OrderHistoryFacade',
      notes: ['add OrderHistoryModule to ModulithModule.forRoot({ modules: [...] }) in your app module'],
    });
    expect(readJson(root, 'modules/order-history/module.json')).toEqual({
      $schema: '../../node_modules/nest-modulith/module.schema.json',
      name: 'order-history',
      dependsOn: [],
    });
    expect(read(root, 'modules/order-history/index.ts')).toContain(
      `export { OrderHistoryFacade, type OrderHistoryRequest, type OrderHistoryResult } from './order-history.facade.js';`,
    );
    const nestModule = read(root, 'modules/order-history/order-history.module.ts');
    expect(nestModule).toContain(`import { FeatureModule } from 'nest-modulith';`);
    expect(nestModule).toContain(`facades: [{ provide: OrderHistoryFacade, useClass: OrderHistoryService }]`);
    expect(read(root, 'modules/order-history/order-history.facade.ts')).toContain('abstract get(request: OrderHistoryRequest): Promise<OrderHistoryResult>;');
  });

  it('imports its dependencies\' Nest modules through their public APIs, in a CommonJS project without .js', () => {
    const root = project({
      'package.json': '{ "name": "cjs" }',
      'modules/billing/module.json': '{ "name": "billing" }',
      'modules/billing/index.ts': `export * from './billing.module';\n`,
      'modules/billing/billing.module.ts': `import { Module } from '@nestjs/common';\n@Module({})\nexport class BillingModule {}\n`,
      'modules/kernel/module.json': '{ "name": "kernel", "shared": true }',
      'modules/kernel/index.ts': `export const VERSION = 1;\n`,
    });
    const result = newModule(root, 'orders', { dependsOn: ['kernel', 'billing'] });
    expect(result.dependsOn).toEqual(['billing', 'kernel']);
    expect(readJson(root, 'modules/orders/module.json')).toEqual({ name: 'orders', dependsOn: ['billing', 'kernel'] });
    const nestModule = read(root, 'modules/orders/orders.module.ts');
    expect(nestModule).toContain(`import { BillingModule } from '../billing/index';`);
    expect(nestModule).toContain(`imports: [BillingModule],`);
    expect(nestModule).toContain(`import { OrdersFacade } from './orders.facade';`);
    expect(result.notes[0]).toBe("modules/kernel/index.ts exports no Nest module class, so OrdersModule does not import one for 'kernel'");
  });
});


describe('newModule: fresh project', () => {
  it('creates the modules root of a fresh project, and writes nothing when the name is rejected', () => {
    const root = project({ 'package.json': '{ "name": "fresh" }' });
    expect(() => newModule(root, 'Bad Name')).toThrow(ModuleModelError);
    expect(snapshot(root)).toEqual({ 'package.json': '{ "name": "fresh" }' });
    expect(newModule(root, 'accounts').dir).toBe('modules/accounts');
    expect(loadApplicationModules(root).names).toEqual(['accounts']);
  });
});

describe('newModule: validation', () => {
  const base = () =>
    project({
      ...ESM_PROJECT,
      'modules/billing/module.json': '{ "name": "billing" }',
      'modules/billing/index.ts': 'export {};\n',
      'modules/legacy/legacy.module.ts': 'export class LegacyModule {}\n',
    });

  it('rejects a name that is not a lowercase kebab-case identifier, suggesting one', () => {
    const root = base();
    const before = snapshot(root);
    expect(problemsOf(() => newModule(root, 'OrderHistory'))).toEqual([
      {
        file: 'modules/OrderHistory/module.json',
        message: "'OrderHistory' is not a valid module name (lowercase letters and digits, words separated by '-', starting with a letter, at most 64 characters)",
        fix: "use 'order-history'",
      },
    ]);
    expect(problemsOf(() => newModule(root, '../evil'))[0].message).toContain('not a valid module name');
    expect(problemsOf(() => newModule(root, '2fa'))[0].fix).toBe("use a name such as 'order-history'");
    expect(snapshot(root)).toEqual(before);
  });

  it('rejects an existing module or folder', () => {
    const root = base();
    expect(problemsOf(() => newModule(root, 'billing'))).toEqual([
      { file: 'modules/billing/module.json', message: "module 'billing' already exists", fix: 'choose another name, or edit the existing module' },
    ]);
    expect(problemsOf(() => newModule(root, 'legacy'))).toEqual([
      { file: 'modules/legacy', message: 'folder modules/legacy/ already exists', fix: 'choose another name, or run `modulith init` to adopt the existing folder' },
    ]);
  });

  it('rejects unknown dependencies and itself, listing every problem at once', () => {
    const root = base();
    const before = snapshot(root);
    expect(problemsOf(() => newModule(root, 'orders', { dependsOn: ['billing', 'shipping', 'orders'] }))).toEqual([
      {
        file: 'modules/orders/module.json',
        message: "--depends-on names unknown module 'shipping'",
        fix: 'use one of: billing, or create \'shipping\' first with `modulith new shipping`',
      },
      { file: 'modules/orders/module.json', message: "'orders' cannot depend on itself", fix: "remove 'orders' from --depends-on" },
    ]);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('newModule: a project with a declared cycle', () => {
  it('adds a module beside a cycle of the declared graph (check reports the cycle; it may be baselined)', () => {
    const root = project({
      ...ESM_PROJECT,
      'modules/orders/module.json': '{ "name": "orders", "dependsOn": ["reporting"] }',
      'modules/orders/index.ts': 'export {};\n',
      'modules/reporting/module.json': '{ "name": "reporting", "dependsOn": ["orders"] }',
      'modules/reporting/index.ts': 'export {};\n',
    });
    newModule(root, 'billing', { dependsOn: ['orders'] });
    expect(readJson(root, 'modules/billing/module.json')).toMatchObject({ name: 'billing', dependsOn: ['orders'] });
  });
});

describe('newModule: the result boots and type-checks', () => {
  it('scaffolds billing and orders (depending on billing) that compile, have no leaks and start in a real Nest app with the boot verification', async () => {
    // Inside the repo, so Jest transforms the generated TypeScript and maps 'nest-modulith'.
    const root = project(ESM_PROJECT, true);
    const billing = newModule(root, 'billing');
    const orders = newModule(root, 'orders', { dependsOn: ['billing'] });
    expect(read(root, 'modules/orders/orders.module.ts')).toContain(`import { BillingModule } from '../billing/index.js';`);

    // The module model accepts it, and its public APIs leak nothing.
    const model = loadApplicationModules(root);
    expect(model.names).toEqual(['billing', 'orders']);
    expect(model.get('orders')!.dependsOn).toEqual(['billing']);
    expect(findLeaks(model)).toEqual([]);

    // Every generated file type-checks under strict NodeNext settings (the generated specs too).
    const files = [...billing.written, ...orders.written].filter((f) => f.endsWith('.ts')).map((f) => join(root, f));
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node', 'jest'],
      typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
      baseUrl: REPO_ROOT,
      paths: { 'nest-modulith': ['./src/index.ts'] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(root))
      .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(diagnostics).toEqual([]);

    // Boot both in a real Nest app behind ModulithModule.forRoot (which verifies the container).
    const billingApi = (await import(join(root, 'modules/billing/index.ts'))) as Record<string, Type<unknown>>;
    const ordersApi = (await import(join(root, 'modules/orders/index.ts'))) as Record<string, Type<unknown>>;
    class AppModule {}
    Module({ imports: [ModulithModule.forRoot({ modules: [billingApi.BillingModule, ordersApi.OrdersModule], rootDir: root })] })(AppModule);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const facade = app.get(ordersApi.OrdersFacade) as { get(request: { id: string }): Promise<unknown> };
      await expect(facade.get({ id: '7' })).resolves.toEqual({ id: '7', status: 'ok' });
      const billingFacade = app.get(billingApi.BillingFacade) as { get(request: { id: string }): Promise<unknown> };
      await expect(billingFacade.get({ id: '8' })).resolves.toEqual({ id: '8', status: 'ok' });
    } finally {
      await app.close();
    }
  });
});
