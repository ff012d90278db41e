// @modulith-covers scaffold, core, leaks
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadApplicationModules, ModuleModelError } from '../../src/core/index.js';
import { findLeaks } from '../../src/leaks/index.js';
import { initProject } from '../../src/scaffold/index.js';
import { read, readJson, removeProject, snapshot, writeFiles, writeProject } from './temp-project.js';

const projects: string[] = [];
afterAll(() => projects.forEach(removeProject));
function project(files: Record<string, string>): string {
  const root = writeProject(files);
  projects.push(root);
  return root;
}

/** The package.json of the Nest app, formatted the way `nest new` leaves it (arrays on one line). */
const APP_PACKAGE_JSON = `{
  "name": "shop-api",
  "version": "0.0.1",
  "private": true,
  "scripts": {
    "build": "nest build",
    "start": "nest start"
  },
  "files": ["dist"],
  "dependencies": {
    "@nestjs/common": "^11.0.0"
  }
}
`;

/**
 * A Nest app inside a monorepo: apps/api/tsconfig.json extends tsconfig.base.json two levels up,
 * which defines the `@app/*` path alias. orders reaches users through the alias, payments through
 * a relative deep import, a dynamic import() and a require(); common/ holds no Nest module.
 */
function nestApp(): { repo: string; root: string } {
  const repo = project({
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: {
        module: 'commonjs',
        target: 'ES2021',
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        baseUrl: './apps/api',
        paths: { '@app/*': ['src/*'] },
      },
    }),
    'apps/api/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: './dist' } }),
    'apps/api/package.json': APP_PACKAGE_JSON,
    'apps/api/node_modules/nest-modulith/module.schema.json': '{}',
    'apps/api/src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule).then((app) => app.listen(3000));\n`,
    'apps/api/src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { UsersModule } from './users/users.module';\nimport { OrdersModule } from './orders/orders.module';\nimport { PaymentsModule } from './payments/payments.module';\n@Module({ imports: [UsersModule, OrdersModule, PaymentsModule] })\nexport class AppModule {}\n`,
    'apps/api/src/common/slug.ts': `export const slug = (s: string) => s.toLowerCase();\n`,
    'apps/api/src/users/users.module.ts': `import { Module } from '@nestjs/common';\nimport { UsersService } from './users.service';\nimport { UsersController } from './users.controller';\n@Module({ providers: [UsersService], controllers: [UsersController], exports: [UsersService] })\nexport class UsersModule {}\n`,
    'apps/api/src/users/users.service.ts': `import { Injectable } from '@nestjs/common';\nimport { slug } from '../common/slug';\nimport { User } from './entities/user.entity';\n@Injectable()\nexport class UsersService { find(id: string): User { return { id, name: slug(id) }; } }\n`,
    'apps/api/src/users/users.controller.ts': `import { Controller, Get } from '@nestjs/common';\nimport { UsersService } from './users.service';\n@Controller('users')\nexport class UsersController { constructor(private readonly users: UsersService) {}\n  @Get() list() { return []; } }\n`,
    'apps/api/src/users/entities/user.entity.ts': `export class User { id!: string; name!: string }\n`,
    'apps/api/src/orders/orders.module.ts': `import { Module } from '@nestjs/common';\nimport { UsersModule } from '@app/users/users.module';\nimport { OrdersService } from './orders.service';\n@Module({ imports: [UsersModule], providers: [OrdersService] })\nexport class OrdersModule {}\n`,
    'apps/api/src/orders/orders.service.ts': `import { Injectable } from '@nestjs/common';\nimport { UsersService } from '@app/users/users.service';\nimport type { User } from '@app/users/entities/user.entity';\n@Injectable()\nexport class OrdersService { constructor(private readonly users: UsersService) {}\n  owner(id: string): User { return this.users.find(id); } }\n`,
    'apps/api/src/payments/payments.module.ts': `import { Module } from '@nestjs/common';\nimport { PaymentsService } from './payments.service';\n@Module({ providers: [PaymentsService] })\nexport class PaymentsModule {}\n`,
    'apps/api/src/payments/payments.service.ts': `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class PaymentsService {\n  async orders() { return import('../orders/orders.service'); }\n  users() { return require('../users/users.service'); }\n}\n`,
  });
  return { repo, root: join(repo, 'apps/api') };
}

describe('initProject on an existing Nest app', () => {
  it('writes module.json files whose dependsOn follows today\'s imports (path aliases from an extended base tsconfig)', () => {
    const { root } = nestApp();
    const result = initProject(root);

    expect(result.root).toBe('src');
    expect(result.modules).toEqual([
      { name: 'orders', dir: 'src/orders', dependsOn: ['users'], status: 'created' },
      { name: 'payments', dir: 'src/payments', dependsOn: ['orders', 'users'], status: 'created' },
      { name: 'users', dir: 'src/users', dependsOn: [], status: 'created' },
    ]);
    expect(readJson(root, 'src/orders/module.json')).toEqual({
      $schema: '../../node_modules/nest-modulith/module.schema.json',
      name: 'orders',
      dependsOn: ['users'],
    });
    expect(read(root, 'src/users/module.json')).toBe(
      '{\n  "$schema": "../../node_modules/nest-modulith/module.schema.json",\n  "name": "users",\n  "dependsOn": []\n}\n',
    );
    expect(result.edges.map((e) => [e.from, e.to, e.imports, e.files])).toEqual([
      ['orders', 'users', 3, ['src/orders/orders.module.ts', 'src/orders/orders.service.ts']],
      ['payments', 'orders', 1, ['src/payments/payments.service.ts']],
      ['payments', 'users', 1, ['src/payments/payments.service.ts']],
    ]);
    expect(result.dropped).toEqual([]);
    expect(result.written).toEqual([
      'src/orders/module.json',
      'src/payments/module.json',
      'src/users/module.json',
      'src/orders/index.ts',
      'src/payments/index.ts',
      'src/users/index.ts',
      'package.json',
      '.dependency-cruiser.js',
    ]);
    expect(result.runBaseline).toBe(true);
  });

  it('gives each module a public API re-exporting its Nest module, in the project import style', () => {
    const { root } = nestApp();
    initProject(root);
    expect(read(root, 'src/users/index.ts')).toContain(`export { UsersModule } from './users.module';\n`);
  });

  it('records the root in package.json, preserving the rest of the file byte for byte', () => {
    const { root } = nestApp();
    initProject(root);
    expect(read(root, 'package.json')).toBe(
      APP_PACKAGE_JSON.replace(/\n}\n$/, ',\n  "modulith": {\n    "roots": [\n      "src"\n    ]\n  }\n}\n'),
    );
  });

  it('writes a CommonJS .dependency-cruiser.js calling the package helper', () => {
    const { root } = nestApp();
    initProject(root);
    expect(read(root, '.dependency-cruiser.js')).toContain(`module.exports = require('nest-modulith/depcruise').modulithRules();`);
  });

  it('leaves a project the module model loads, and is idempotent', () => {
    const { root } = nestApp();
    initProject(root);
    const model = loadApplicationModules(root);
    expect(model.roots).toEqual(['src']);
    expect(model.names).toEqual(['orders', 'payments', 'users']);
    expect(model.get('users')!.entry).toBe('src/users/index.ts');
    expect(findLeaks(model)).toEqual([]);

    writeFiles(root, { 'modulith-baseline.json': '{"violations":[]}\n' });
    const before = snapshot(root);
    const again = initProject(root);
    expect(snapshot(root)).toEqual(before);
    expect(again.written).toEqual([]);
    expect(again.runBaseline).toBe(false);
    expect(again.modules.map((m) => [m.name, m.status, m.dependsOn])).toEqual([
      ['orders', 'existing', ['users']],
      ['payments', 'existing', ['orders', 'users']],
      ['users', 'existing', []],
    ]);
    expect(again.skipped).toEqual([{ file: '.dependency-cruiser.js', reason: expect.stringContaining('already exists') }]);
  });

  it('never clobbers an existing module.json, index.ts or dependency-cruiser config', () => {
    const { root } = nestApp();
    writeFiles(root, {
      'src/users/module.json': '{ "name": "users", "description": "hand written" }',
      'src/users/index.ts': `export * from './users.module';\n`,
      '.dependency-cruiser.cjs': `module.exports = { forbidden: [] };\n`,
    });
    const result = initProject(root);
    expect(read(root, 'src/users/module.json')).toBe('{ "name": "users", "description": "hand written" }');
    expect(read(root, 'src/users/index.ts')).toBe(`export * from './users.module';\n`);
    expect(result.written).not.toContain('.dependency-cruiser.js');
    expect(result.skipped.map((s) => s.file)).toEqual(['.dependency-cruiser.cjs']);
    expect(result.modules.find((m) => m.name === 'users')).toEqual({ name: 'users', dir: 'src/users', dependsOn: [], status: 'existing' });
  });
});

describe('initProject: cycles between modules', () => {
  /** a -> b -> c -> a (c -> a is one import, the others two) and b <-> d (d -> b one import). */
  function cyclic(): string {
    const mod = (name: string, imports: string[]) => ({
      [`src/${name}/${name}.module.ts`]: `import { Module } from '@nestjs/common';\n${imports.join('\n')}\n@Module({})\nexport class ${name.toUpperCase()}Module {}\n`,
    });
    return project({
      'package.json': '{ "name": "cyclic" }\n',
      ...mod('a', [`import '../b/x';`, `import '../b/y';`]),
      ...mod('b', [`import '../c/x';`, `import '../c/y';`, `import '../d/x';`, `import '../d/y';`]),
      ...mod('c', [`import '../a/x';`]),
      ...mod('d', [`import '../b/x';`]),
      'src/a/x.ts': 'export const x = 1;\n',
      'src/b/x.ts': 'export const x = 1;\n',
      'src/b/y.ts': 'export const y = 1;\n',
      'src/c/x.ts': 'export const x = 1;\n',
      'src/c/y.ts': 'export const y = 1;\n',
      'src/d/x.ts': 'export const x = 1;\n',
      'src/d/y.ts': 'export const y = 1;\n',
    });
  }

  it('drops the cheapest edge of each cycle, reports it, and writes a model that loads', () => {
    const root = cyclic();
    const result = initProject(root);
    expect(result.dropped.map((d) => [d.from, d.to, d.imports, d.files, d.cycle])).toEqual([
      ['c', 'a', 1, ['src/c/c.module.ts'], ['a', 'b', 'c']],
      ['d', 'b', 1, ['src/d/d.module.ts'], ['b', 'd']],
    ]);
    expect(result.modules.map((m) => [m.name, m.dependsOn])).toEqual([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', []],
      ['d', []],
    ]);
    expect(result.notes.join('\n')).toContain("left 'a' out of src/c/module.json to break the cycle a -> b -> c -> a");
    expect(() => loadApplicationModules(root)).not.toThrow();
  });

  it('keeps dependencies an existing module.json declares and breaks the cycle elsewhere', () => {
    const root = cyclic();
    writeFiles(root, { 'src/c/module.json': '{ "name": "c", "dependsOn": ["a"] }\n' });
    const result = initProject(root);
    expect(result.dropped.map((d) => [d.from, d.to])).toEqual([
      ['a', 'b'],
      ['d', 'b'],
    ]);
    expect(() => loadApplicationModules(root)).not.toThrow();
  });
});

describe('initProject: layouts and errors', () => {
  it('adopts an ESM app under --modules src/modules: .js imports, ESM depcruise config, extra root in package.json', () => {
    const root = project({
      'package.json': '{\n    "name": "esm-app",\n    "type": "module"\n}\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'src/modules/catalog/catalog.module.ts': `import { Module } from '@nestjs/common';\n@Module({})\nexport class CatalogModule {}\n`,
      'src/modules/cart/cart.module.ts': `import { Module } from '@nestjs/common';\nimport { CatalogModule } from '../catalog/catalog.module.js';\n@Module({ imports: [CatalogModule] })\nexport class CartModule {}\n`,
      'src/main.ts': `import './modules/cart/cart.module.js';\n`,
    });
    const result = initProject(root, { modules: 'src/modules/' });
    expect(result.root).toBe('src/modules');
    expect(result.modules.map((m) => [m.name, m.dependsOn])).toEqual([
      ['cart', ['catalog']],
      ['catalog', []],
    ]);
    expect(readJson(root, 'src/modules/cart/module.json')).toEqual({ name: 'cart', dependsOn: ['catalog'] });
    expect(read(root, 'src/modules/cart/index.ts')).toContain(`export { CartModule } from './cart.module.js';`);
    expect(read(root, '.dependency-cruiser.js')).toBe(
      `// Module boundaries of this app, derived from its module.json files by nest-modulith.\nimport { modulithRules } from 'nest-modulith/depcruise';\n\nexport default modulithRules();\n`,
    );
    expect(read(root, 'package.json')).toBe('{\n    "name": "esm-app",\n    "type": "module",\n    "modulith": {\n        "roots": [\n            "src/modules"\n        ]\n    }\n}\n');
    expect(loadApplicationModules(root).names).toEqual(['cart', 'catalog']);
  });

  it('prefers modules/ and leaves package.json alone for the default root', () => {
    const root = project({
      'package.json': '{ "name": "x" }',
      'modules/a/a.module.ts': 'export class AModule {}\n',
      'src/b/b.module.ts': 'export class BModule {}\n',
    });
    const result = initProject(root);
    expect(result.root).toBe('modules');
    expect(result.modules.map((m) => m.name)).toEqual(['a']);
    expect(read(root, 'package.json')).toBe('{ "name": "x" }');
  });

  it('fails with the file and the fix when the root holds no module but another folder does, or is a file', () => {
    const root = project({ 'package.json': '{}', 'src/util/x.ts': 'export {};\n', 'src/users/users.module.ts': 'export class UsersModule {}\n', 'lib': '' });
    const before = snapshot(root);
    for (const modules of ['missing', 'src/util', 'lib']) {
      try {
        initProject(root, { modules });
        throw new Error('expected a ModuleModelError');
      } catch (error) {
        expect(error).toBeInstanceOf(ModuleModelError);
        expect((error as ModuleModelError).problems).toEqual([{ file: modules, message: expect.any(String), fix: expect.stringContaining('--modules') }]);
      }
    }
    expect(snapshot(root)).toEqual(before);
  });

  it('an app without any Nest feature module is a fresh app: it gets src/modules, and no baseline', () => {
    const root = project({ 'package.json': '{}', 'src/util/x.ts': 'export {};\n' });
    const result = initProject(root);
    expect(result).toMatchObject({ root: 'src/modules', fresh: true, modules: [], runBaseline: false });
    expect(result.written).toEqual(['package.json', '.dependency-cruiser.js']);
    expect(readJson(root, 'package.json')).toEqual({ modulith: { roots: ['src/modules'] } });
  });
});
