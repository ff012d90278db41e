import { afterAll, expect } from '@jest/globals';
import { AdoptionApp, ok } from './support/adoption-app.js';
import { BootedApp, FOREIGN_CWD } from './support/boot.js';
import { plain } from './support/commands.js';
import { builtManifests } from './support/expectations.js';
import { adoptionSteps, describeWithRegistry, registryUnavailable } from './support/suite.js';
import { packedTarball } from './support/tarball.js';

/**
 * (c) README's quick start on a fresh `nest new` app, NestJS 11 (CommonJS, Jest) and NestJS 12
 * (ESM, Vitest): `npm i nest-modulith`, `npx modulith init`, `npx modulith new billing`,
 * `npx modulith new orders --depends-on billing`, the app module composing them as `new` says,
 * then the app's own tests, `nest build`, `modulith check`, `modulith extract billing
 * --no-write`, and a boot of dist/main.js from another directory.
 */
const APPS = [
  { base: 'nest11', title: 'NestJS 11 CommonJS app (Jest)', ext: '', index: (m: string) => `./modules/${m}` },
  { base: 'nest12', title: 'NestJS 12 ESM app (Vitest)', ext: '.js', index: (m: string) => `./modules/${m}/index.js` },
];

const unavailable = await registryUnavailable();

for (const fresh of APPS) {
  describeWithRegistry(`adoption: the quick start on a fresh ${fresh.title}`, unavailable, () => {
    let app: AdoptionApp | undefined;
    const step = adoptionSteps(() => app);
    afterAll(() => app?.remove());

    step('install', '`npm i nest-modulith` (the packed tarball)', [], async () => {
      const packing = Date.now();
      const tarball = await packedTarball();
      const packMs = Date.now() - packing;
      app = (await AdoptionApp.create(fresh.base)).app;
      app.log.unshift({ command: 'npm pack of this repository (once per run)', ms: packMs, code: 0 });
      ok(await app.installPackage(tarball));
    });

    step('init', '`npx modulith init` records src/modules, makes nest build copy module.json files; `check` then exits 0', ['install'], async () => {
      ok(await app!.npx(['modulith', 'init']));
      expect(app!.readJson('package.json').modulith).toEqual({ roots: ['src/modules'] });
      expect(app!.readJson('nest-cli.json').compilerOptions.assets).toContainEqual({ include: '**/module.json', watchAssets: true });
      expect(['.dependency-cruiser.js', '.dependency-cruiser.cjs', '.dependency-cruiser.mjs'].filter((f) => app!.exists(f))).toHaveLength(1);
      ok(await app!.npx(['modulith', 'check']));
    });

    step('new', '`npx modulith new billing` and `new orders --depends-on billing` write sealed modules in the app\'s import style', ['init'], async () => {
      ok(await app!.npx(['modulith', 'new', 'billing']));
      ok(await app!.npx(['modulith', 'new', 'orders', '--depends-on', 'billing']));
      expect(app!.readJson('src/modules/billing/module.json')).toMatchObject({ name: 'billing', dependsOn: [] });
      expect(app!.readJson('src/modules/orders/module.json')).toMatchObject({ name: 'orders', dependsOn: ['billing'] });
      expect(app!.read('src/modules/billing/billing.facade.ts')).toMatch(/@Facade<BillingFacade>\(\{/);
      expect(app!.read('src/modules/billing/index.ts')).toContain(`from './billing.module${fresh.ext}'`);
      expect(app!.read('src/modules/orders/orders.module.ts')).toContain(`from '../billing/index${fresh.ext}'`);
    });

    step('wire', 'the app module composes them with ModulithModule.forRoot, as `new` tells', ['new'], async () => {
      const ext = fresh.ext;
      app!.edit(
        'src/app.module.ts',
        `import { Module } from '@nestjs/common';\n`,
        [
          `import { Module } from '@nestjs/common';`,
          `import { ModulithModule } from 'nest-modulith';`,
          `import { BillingModule } from '${fresh.index('billing')}';`,
          `import { OrdersModule } from '${fresh.index('orders')}';`,
          `import { ModulesController } from './modules.controller${ext}';`,
          ``,
        ].join('\n'),
      );
      app!.edit('src/app.module.ts', 'imports: [],', 'imports: [ModulithModule.forRoot({ modules: [BillingModule, OrdersModule] })],');
      app!.edit('src/app.module.ts', 'controllers: [AppController],', 'controllers: [AppController, ModulesController],');
      // An app-shell route reporting the modules this process runs (RunningModules, filled at boot).
      app!.write(
        'src/modules.controller.ts',
        [
          `import { Controller, Get } from '@nestjs/common';`,
          `import { RunningModules } from 'nest-modulith';`,
          ``,
          `@Controller('modules')`,
          `export class ModulesController {`,
          `  constructor(private readonly running: RunningModules) {}`,
          ``,
          `  @Get()`,
          `  list(): { running: string[] } {`,
          `    return { running: this.running.names };`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
      );
    });

    step('unit', "passes its own tests, the specs `new` wrote included (`npm test`)", ['wire'], async () => {
      const result = ok(await app!.npm(['test']));
      expect(plain(`${result.stdout}\n${result.stderr}`)).toMatch(/billing/);
    });

    step('e2e', 'passes its own e2e test with the composed AppModule (`npm run test:e2e`)', ['wire'], async () => {
      ok(await app!.npm(['run', 'test:e2e']));
    });

    step('build', '`nest build` compiles it and copies both module.json files into dist', ['wire'], async () => {
      ok(await app!.npm(['run', 'build']));
      expect(builtManifests(app!)).toEqual(['dist/modules/billing/module.json', 'dist/modules/orders/module.json']);
    });

    step('check', '`npx modulith check` exits 0', ['wire'], async () => {
      const result = ok(await app!.npx(['modulith', 'check']));
      expect(plain(`${result.stdout}\n${result.stderr}`)).toMatch(/✔ no boundary violations.* in 2 modules/);
    });

    step('extract', '`npx modulith extract billing --no-write` exits 0 (ready) and writes nothing', ['wire'], async () => {
      ok(await app!.npx(['modulith', 'extract', 'billing', '--no-write']));
      expect(app!.exists('deploy')).toBe(false);
    });

    step('boot', `boots with \`node dist/main.js\` from ${FOREIGN_CWD}, running billing and orders`, ['build'], async () => {
      const booted = await BootedApp.start(app!.path('dist', 'main.js'));
      try {
        const hello = await booted.get('/');
        expect({ status: hello.status, body: hello.body }).toEqual({ status: 200, body: 'Hello World!' });
        const modules = await booted.get('/modules');
        expect({ status: modules.status, body: modules.body, log: booted.describe('GET /modules') }).toEqual({
          status: 200,
          body: { running: ['billing', 'orders'] },
          log: expect.any(String),
        });
      } finally {
        await booted.stop();
      }
    });
  });
}
