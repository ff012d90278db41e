// @modulith-covers scaffold, core, leaks, runtime
import { afterAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import ts from 'typescript';
import { loadApplicationModules, ModuleModelError } from '../../src/core/index.js';
import { findLeaks } from '../../src/leaks/index.js';
import { ModulithModule } from '../../src/runtime/index.js';
import { initProject, newModule } from '../../src/scaffold/index.js';
import { NEST_11_APP, NEST_12_APP } from './nest-new-apps.js';
import { read, REPO_ROOT, removeProject, snapshot, writeFiles, writeProject } from './temp-project.js';

// `modulith init` and `modulith new` on the app `nest new` just wrote (NestJS 11 CommonJS + Jest,
// NestJS 12 ESM + Vitest): no feature module yet, nest-cli.json with "sourceRoot": "src".

const projects: string[] = [];
afterAll(() => projects.forEach(removeProject));
function project(files: Record<string, string>, inRepo = false): string {
  const root = writeProject(files, inRepo);
  projects.push(root);
  return root;
}

const MODULITH_KEY = ',\n  "modulith": {\n    "roots": [\n      "src/modules"\n    ]\n  }\n}\n';
/** nest-cli.json of `nest new` (11 and 12 write the same) once init or new has added the asset. */
const NEST_CLI_WITH_ASSET = `{
  "$schema": "https://json.schemastore.org/nest-cli",
  "collection": "@nestjs/schematics",
  "sourceRoot": "src",
  "compilerOptions": {
    "deleteOutDir": true,
    "assets": [{ "include": "**/module.json", "watchAssets": true }, { "include": "**/module.api.md", "watchAssets": true }]
  }
}
`;

describe('modulith init on a fresh `nest new` app', () => {
  it.each([
    ['NestJS 11 (CommonJS)', NEST_11_APP, 'module.exports = require('],
    ['NestJS 12 (ESM)', NEST_12_APP, 'export default modulithRules();'],
  ])('%s: sets up src/modules from nest-cli.json, records it, copies module.json into dist/, and points at `modulith new`', (_, app, depcruise) => {
    const root = project(app);
    const result = initProject(root);
    expect(result).toMatchObject({ root: 'src/modules', fresh: true, modules: [], dropped: [], edges: [], runBaseline: false });
    expect(result.written).toEqual(['package.json', 'nest-cli.json', '.dependency-cruiser.js']);
    expect(result.notes.at(-1)).toBe('no modules yet: create the first one with `npx modulith new <name>` (it goes to src/modules/<name>)');

    // The key goes last, in the file's indentation; every other byte stays.
    expect(read(root, 'package.json')).toBe(app['package.json'].replace(/\n}\n$/, MODULITH_KEY));
    expect(read(root, 'nest-cli.json')).toBe(NEST_CLI_WITH_ASSET);
    expect(read(root, '.dependency-cruiser.js')).toContain(depcruise);
    // No module yet is a valid project.
    expect(loadApplicationModules(root, { allowEmpty: true }).names).toEqual([]);

    // Idempotent: a second run writes nothing.
    const before = snapshot(root);
    const again = initProject(root);
    expect(again.written).toEqual([]);
    expect(again.fresh).toBe(true);
    expect(snapshot(root)).toEqual(before);
  });

  it('--modules DIR still wins', () => {
    const root = project(NEST_11_APP);
    const result = initProject(root, { modules: 'src/features' });
    expect(result.root).toBe('src/features');
    expect(read(root, 'package.json')).toContain('"modulith": {\n    "roots": [\n      "src/features"\n    ]\n  }\n}\n');
  });

  it('without nest-cli.json: src/modules when src/ exists, else modules/ (the default root, left out of package.json)', () => {
    const withSrc = project({ 'package.json': '{ "name": "x" }\n', 'src/main.ts': 'export {};\n' });
    expect(initProject(withSrc).root).toBe('src/modules');
    expect(read(withSrc, 'package.json')).toBe('{ "name": "x",\n  "modulith": {\n    "roots": [\n      "src/modules"\n    ]\n  }\n}\n');

    const bare = project({ 'package.json': '{ "name": "y" }' });
    const result = initProject(bare);
    expect(result.root).toBe('modules');
    expect(result.written).toEqual(['.dependency-cruiser.js']);
    expect(read(bare, 'package.json')).toBe('{ "name": "y" }');
  });

  it('a sourceRoot other than src is honoured', () => {
    const root = project({ ...NEST_11_APP, 'nest-cli.json': '{ "sourceRoot": "app", "compilerOptions": {} }\n', 'app/main.ts': 'export {};\n' });
    expect(initProject(root).root).toBe('app/modules');
    expect(read(root, 'nest-cli.json')).toBe('{ "sourceRoot": "app", "compilerOptions": {\n  "assets": [{ "include": "**/module.json", "watchAssets": true }, { "include": "**/module.api.md", "watchAssets": true }]\n} }\n');
  });

  it('an empty --modules folder while Nest modules live elsewhere is an error naming where they are', () => {
    const root = project({ ...NEST_11_APP, 'src/users/users.module.ts': 'export class UsersModule {}\n' });
    const before = snapshot(root);
    try {
      initProject(root, { modules: 'lib' });
      throw new Error('expected a ModuleModelError');
    } catch (error) {
      expect(error).toBeInstanceOf(ModuleModelError);
      expect((error as ModuleModelError).problems).toEqual([
        { file: 'lib', message: 'no module found: no subfolder of lib/ holds a *.module.ts, but src/ does (users)', fix: 'pass --modules src (the folder whose subfolders are your feature modules)' },
      ]);
    }
    expect(snapshot(root)).toEqual(before);
  });

  it('an app that has Nest feature modules is adopted as before, and its nest-cli.json copies module.json too', () => {
    const root = project({ ...NEST_11_APP, 'src/users/users.module.ts': `import { Module } from '@nestjs/common';\n@Module({})\nexport class UsersModule {}\n` });
    const result = initProject(root);
    expect(result).toMatchObject({ root: 'src', fresh: false, runBaseline: true });
    expect(result.modules.map((m) => m.dir)).toEqual(['src/users']);
    expect(result.written).toEqual(['src/users/module.json', 'src/users/index.ts', 'package.json', 'nest-cli.json', '.dependency-cruiser.js']);
    expect(read(root, 'src/users/index.ts')).toContain(`export { UsersModule } from './users.module';`);
    expect(read(root, 'nest-cli.json')).toBe(NEST_CLI_WITH_ASSET);
  });
});

describe('nest-cli.json assets', () => {
  const app = (nestCli: string) => project({ 'package.json': '{ "name": "x" }\n', 'nest-cli.json': nestCli, 'src/main.ts': 'export {};\n' });
  const moduleJson = '{ "include": "**/module.json", "watchAssets": true }';
  const moduleApi = '{ "include": "**/module.api.md", "watchAssets": true }';
  const asset = `${moduleJson}, ${moduleApi}`;

  it.each([
    [
      'merges with existing assets, one per line',
      '{\n    "sourceRoot": "src",\n    "compilerOptions": {\n        "assets": [\n            "**/*.graphql",\n            { "include": "i18n/**/*", "watchAssets": true }\n        ]\n    }\n}\n',
      `{\n    "sourceRoot": "src",\n    "compilerOptions": {\n        "assets": [\n            "**/*.graphql",\n            { "include": "i18n/**/*", "watchAssets": true },\n            ${moduleJson},\n            ${moduleApi}\n        ]\n    }\n}\n`,
    ],
    ['merges with existing assets on one line', '{ "compilerOptions": { "assets": ["**/*.proto"] } }', `{ "compilerOptions": { "assets": ["**/*.proto", ${asset}] } }`],
    ['adds compilerOptions when there is none', '{\n  "sourceRoot": "src"\n}\n', `{\n  "sourceRoot": "src",\n  "compilerOptions": {\n    "assets": [${asset}]\n  }\n}\n`],
    [
      'keeps comments and trailing commas (JSON with comments)',
      '{\n  // the Nest CLI\n  "compilerOptions": {\n    "deleteOutDir": true, // clean dist/ first\n  },\n}\n',
      `{\n  // the Nest CLI\n  "compilerOptions": {\n    "deleteOutDir": true, // clean dist/ first\n    "assets": [${asset}],\n  },\n}\n`,
    ],
    ['keeps CRLF line ends', '{\r\n  "compilerOptions": {\r\n    "deleteOutDir": true\r\n  }\r\n}\r\n', `{\r\n  "compilerOptions": {\r\n    "deleteOutDir": true,\r\n    "assets": [${asset}]\r\n  }\r\n}\r\n`],
  ])('%s', (_, before, after) => {
    const root = app(before);
    expect(initProject(root).written).toContain('nest-cli.json');
    expect(read(root, 'nest-cli.json')).toBe(after);
    expect(initProject(root).written).toEqual([]);
    expect(read(root, 'nest-cli.json')).toBe(after);
  });

  it.each([['"**/module.json"'], ['{ "include": "**/module.json" }'], ['{ "include": "**/module.json", "outDir": "dist/src" }']])(
    'leaves an existing module.json asset alone, adding the module.api.md one: %s',
    (entry) => {
      const root = app(`{ "compilerOptions": { "assets": [${entry}] } }\n`);
      expect(initProject(root).written).toContain('nest-cli.json');
      expect(read(root, 'nest-cli.json')).toBe(`{ "compilerOptions": { "assets": [${entry}, ${moduleApi}] } }\n`);
    },
  );

  it('leaves the file alone when both assets are there', () => {
    const text = `{ "compilerOptions": { "assets": ["./**/module.api.md", "**/module.json"] } }\n`;
    const root = app(text);
    expect(initProject(root).written).not.toContain('nest-cli.json');
    expect(read(root, 'nest-cli.json')).toBe(text);
  });

  it('a nest-cli.json that cannot be read, or whose assets are no array, fails naming the file and the fix, before writing anything', () => {
    for (const [text, message] of [
      ['{ "compilerOptions": ', 'is not valid JSON'],
      ['{ "compilerOptions": { "assets": "**/*.json" } }', '"compilerOptions.assets" must be an array'],
      ['{ "compilerOptions": [] }', '"compilerOptions" must be an object'],
    ]) {
      for (const action of [initProject, (root: string) => newModule(root, 'billing')]) {
        const root = app(text);
        const before = snapshot(root);
        try {
          action(root);
          throw new Error('expected a ModuleModelError');
        } catch (error) {
          expect(error).toBeInstanceOf(ModuleModelError);
          const [problem] = (error as ModuleModelError).problems;
          expect(problem.file).toBe('nest-cli.json');
          expect(problem.message).toContain(message);
          expect(problem.fix).toMatch(/JSON syntax|"assets"/);
        }
        expect(snapshot(root)).toEqual(before);
      }
    }
  });

  it('a modules root outside sourceRoot is not an asset: a note says so and the file stays', () => {
    const root = app('{ "sourceRoot": "src" }\n');
    const result = initProject(root, { modules: 'modules' });
    expect(read(root, 'nest-cli.json')).toBe('{ "sourceRoot": "src" }\n');
    expect(result.notes.join('\n')).toContain("nest-cli.json: the modules root modules/ is outside sourceRoot 'src'");
  });
});

describe('modulith new on a fresh `nest new` app', () => {
  it('NestJS 11: writes src/modules/NAME with extensionless imports, records the root, sets up the assets, a Jest spec and an extractable facade', () => {
    const root = project(NEST_11_APP);
    const result = newModule(root, 'billing');
    expect(result.dir).toBe('src/modules/billing');
    expect(result.written).toEqual([
      'src/modules/billing/module.json',
      'src/modules/billing/index.ts',
      'src/modules/billing/billing.facade.ts',
      'src/modules/billing/billing.module.ts',
      'src/modules/billing/internal/billing.service.ts',
      'src/modules/billing/billing.service.spec.ts',
      'package.json',
      'nest-cli.json',
    ]);
    expect(read(root, 'package.json')).toBe(NEST_11_APP['package.json'].replace(/\n}\n$/, MODULITH_KEY));
    expect(read(root, 'nest-cli.json')).toBe(NEST_CLI_WITH_ASSET);
    // CommonJS under nodenext (no "type": "module"): the app's own extensionless style.
    expect(read(root, 'src/modules/billing/index.ts')).toContain(`export { BillingModule } from './billing.module';\n`);
    expect(read(root, 'src/modules/billing/billing.module.ts')).toContain(`import { BillingService } from './internal/billing.service';\n`);
    const facade = read(root, 'src/modules/billing/billing.facade.ts');
    expect(facade).toContain(`import { Facade } from 'nest-modulith';\n`);
    expect(facade).toContain('@Facade<BillingFacade>({ get: true })\nexport abstract class BillingFacade {');
    const spec = read(root, 'src/modules/billing/billing.service.spec.ts');
    expect(spec).not.toContain('vitest');
    expect(spec.split('\n').filter((l) => l.startsWith('import'))).toEqual([`import { Test } from '@nestjs/testing';`, `import { BillingFacade, BillingModule } from './index';`]);
    expect(loadApplicationModules(root).names).toEqual(['billing']);

    // The next module lands next to it, and package.json is left alone.
    const orders = newModule(root, 'orders', { dependsOn: ['billing'] });
    expect(orders.written).not.toContain('package.json');
    expect(orders.written).not.toContain('nest-cli.json');
    expect(read(root, 'src/modules/orders/orders.module.ts')).toContain(`import { BillingModule } from '../billing/index';`);
  });

  it('NestJS 12: `.js` imports (ESM) and a Vitest spec', () => {
    const root = project(NEST_12_APP);
    const result = newModule(root, 'billing');
    expect(result.dir).toBe('src/modules/billing');
    expect(read(root, 'src/modules/billing/index.ts')).toContain(`export { BillingModule } from './billing.module.js';\n`);
    expect(read(root, 'src/modules/billing/billing.service.spec.ts')).toMatch(
      /^import { describe, expect, it } from 'vitest';\nimport { Test } from '@nestjs\/testing';\nimport { BillingFacade, BillingModule } from '.\/index.js';\n/,
    );
    expect(read(root, 'package.json')).toBe(NEST_12_APP['package.json'].replace(/\n}\n$/, MODULITH_KEY));
  });

  it('after init, new writes into the recorded root and changes no configuration', () => {
    const root = project(NEST_11_APP);
    initProject(root);
    const result = newModule(root, 'billing');
    expect(result.written.filter((f) => !f.startsWith('src/modules/billing/'))).toEqual([]);
  });
});

/** Type-checks files of a project with its own tsconfig.json, `nest-modulith` mapped to this repository's source. */
function typeCheck(root: string, files: string[], override: ts.CompilerOptions = {}): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error('tsconfig.json cannot be read');
  const options: ts.CompilerOptions = {
    ...parsed.options,
    ...override,
    noEmit: true,
    incremental: false,
    typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
    paths: { 'nest-modulith': [join(REPO_ROOT, 'src/index.ts')] },
  };
  const program = ts.createProgram(
    files.map((f) => join(root, f)),
    options,
  );
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || d.file.fileName.startsWith(root))
    .map((d) => `${d.file ? d.file.fileName.slice(root.length + 1) : 'tsconfig.json'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('the generated module in a `nest new` app: compiles under its tsconfig, boots, no leaks', () => {
  it.each([
    ['NestJS 11 (CommonJS, strictNullChecks)', NEST_11_APP, {}],
    ['NestJS 11 layout under strict', NEST_11_APP, { strict: true }],
    // rootDir only places the output; this repository's source, mapped in, is outside the app's.
    ['NestJS 12 (ESM, strict)', NEST_12_APP, { types: ['node'], rootDir: undefined }],
  ])('%s', async (_, app, override) => {
    // Inside the repo, so @nestjs/* resolve and Jest can import the generated TypeScript.
    const root = project(app, true);
    const billing = newModule(root, 'billing');
    const orders = newModule(root, 'orders', { dependsOn: ['billing'] });
    writeFiles(root, {
      'src/app.module.ts': app['src/app.module.ts']
        .replace(`import { Module } from '@nestjs/common';\n`, `import { Module } from '@nestjs/common';\nimport { ModulithModule } from 'nest-modulith';\nimport { BillingModule } from './modules/billing/index${app === NEST_12_APP ? '.js' : ''}';\nimport { OrdersModule } from './modules/orders/index${app === NEST_12_APP ? '.js' : ''}';\n`)
        .replace('imports: [],', 'imports: [ModulithModule.forRoot({ modules: [BillingModule, OrdersModule] })],'),
    });
    const model = loadApplicationModules(root);
    expect(findLeaks(model)).toEqual([]);

    // The app's own tsconfig (the 12 app's Vitest spec needs vitest, which this repository does not have).
    const generated = [...billing.written, ...orders.written].filter((f) => f.endsWith('.ts') && !(app === NEST_12_APP && f.endsWith('.spec.ts')));
    expect(typeCheck(root, ['src/main.ts', 'src/app.module.ts', ...generated], override)).toEqual([]);

    // Boots behind ModulithModule.forRoot (the boot verification) and answers through the facade.
    const billingApi = (await import(join(root, 'src/modules/billing/index.ts'))) as Record<string, Type<unknown>>;
    const ordersApi = (await import(join(root, 'src/modules/orders/index.ts'))) as Record<string, Type<unknown>>;
    class AppModule {}
    Module({ imports: [ModulithModule.forRoot({ modules: [billingApi.BillingModule, ordersApi.OrdersModule], rootDir: root })] })(AppModule);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const nest: INestApplication = moduleRef.createNestApplication({ logger: false });
    await nest.init();
    try {
      const facade = nest.get(ordersApi.OrdersFacade) as { get(request: { id: string }): Promise<unknown> };
      await expect(facade.get({ id: '7' })).resolves.toEqual({ id: '7', status: 'ok' });
    } finally {
      await nest.close();
    }
  });
});
