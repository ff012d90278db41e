import { afterAll, expect } from '@jest/globals';
import { AdoptionApp, ok } from './adoption-app.js';
import { BootedApp, FOREIGN_CWD } from './boot.js';
import { plain } from './commands.js';
import { beforeInstall, builtManifests, expectPeersShared, type BeforeInstall } from './expectations.js';
import { adoptionSteps, describeWithRegistry } from './suite.js';
import { packedTarball } from './tarball.js';

export interface FeatureAppStory {
  title: string;
  /** The generated app (test/fixtures/adoption/<base>) and what the user adds to it (<overlay>). */
  base: string;
  overlay: string;
  /** How the app loads nest-modulith: its compiled output is CommonJS (`require`) or ESM (`import`). */
  format: 'commonjs' | 'esm';
  /** The app's own test runner, as its package.json scripts run it, and what a pass prints. */
  unitTests: { args: string[]; passed: RegExp; runner: string };
  e2eTests: { args: string[]; passed: RegExp };
  /** Why the npm registry is unusable, if it is (the suite is then skipped or failed). */
  registryUnavailable: string | undefined;
}

const ENTRY_POINTS = ['FeatureModule', 'ModulithModule', 'Facade', 'RunningModules'];

/**
 * The story of an app that adopted nest-modulith the README way: two feature modules under
 * src/modules (billing serves a facade, orders calls it from a controller), ModulithModule.forRoot
 * in the app module, nest-cli.json copying module.json files into dist. Installed from the packed
 * tarball next to the app's own NestJS, built, booted from another directory, called over HTTP,
 * tested with the app's own runner and checked with `modulith check`.
 */
export function featureAppStory(story: FeatureAppStory): void {
  describeWithRegistry(story.title, story.registryUnavailable, () => {
    let app: AdoptionApp | undefined;
    let before: BeforeInstall;
    const step = adoptionSteps(() => app);
    afterAll(() => app?.remove());

    step('install', 'installs nest-modulith (npm install <packed tarball>) next to its own NestJS', [], async () => {
      const packing = Date.now();
      const tarball = await packedTarball();
      const packMs = Date.now() - packing;
      app = (await AdoptionApp.create(story.base, story.overlay)).app;
      app.log.unshift({ command: 'npm pack of this repository (once per run)', ms: packMs, code: 0 });
      before = beforeInstall(app);
      ok(await app.installPackage(tarball));
    });

    step('peers', "adds no copy of NestJS, rxjs or reflect-metadata (one @nestjs/core, the app's, deduped in `npm ls`) and no optional peer", ['install'], async () => {
      await expectPeersShared(app!, before);
    });

    if (story.format === 'commonjs') {
      step('load', "require('nest-modulith') works in plain CommonJS, and its subpaths resolve", ['install'], async () => {
        const script = `
          const m = require('nest-modulith');
          console.log(JSON.stringify({
            exports: ${JSON.stringify(ENTRY_POINTS)}.filter((n) => typeof m[n] === 'function'),
            events: require.resolve('nest-modulith/events').replace(/\\\\/g, '/').split('/node_modules/').pop(),
            depcruise: typeof require('nest-modulith/depcruise').modulithRules,
          }));`;
        expectLoaded(ok(await app!.node(['-e', script])).stdout);
      });
    } else {
      step('load', "import from 'nest-modulith' works in plain ESM, and its subpaths resolve", ['install'], async () => {
        const script = `
          const m = await import('nest-modulith');
          console.log(JSON.stringify({
            exports: ${JSON.stringify(ENTRY_POINTS)}.filter((n) => typeof m[n] === 'function'),
            events: import.meta.resolve('nest-modulith/events').split('/node_modules/').pop(),
            depcruise: typeof (await import('nest-modulith/depcruise')).modulithRules,
          }));`;
        expectLoaded(ok(await app!.node(['--input-type=module', '-e', script])).stdout);
      });
    }

    step('typecheck', `type-checks against nest-modulith's ${story.format === 'esm' ? 'ESM' : 'CommonJS'} types (tsc --noEmit -p tsconfig.json, specs included)`, ['install'], async () => {
      ok(await app!.npx(['tsc', '--noEmit', '-p', 'tsconfig.json']));
    });

    step('build', 'builds with `nest build`, the module.json files copied next to the compiled modules', ['install'], async () => {
      ok(await app!.npm(['run', 'build']));
      expect(app!.exists('dist/main.js')).toBe(true);
      expect(builtManifests(app!)).toEqual(['dist/modules/billing/module.json', 'dist/modules/orders/module.json']);
    });

    step('boot', `boots with \`node dist/main.js\` started in ${FOREIGN_CWD} and answers through the billing facade over HTTP`, ['build'], async () => {
      const booted = await BootedApp.start(app!.path('dist', 'main.js'));
      try {
        const hello = await booted.get('/');
        expect({ status: hello.status, body: hello.body }).toEqual({ status: 200, body: 'Hello World!' });
        const quote = await booted.get('/orders/quote?sku=tea&quantity=3');
        expect({ status: quote.status, body: quote.body, log: booted.describe('GET /orders/quote?sku=tea&quantity=3') }).toEqual({
          status: 200,
          body: { sku: 'tea', quantity: 3, unitPrice: 4, total: 12, currency: 'EUR' },
          log: expect.any(String),
        });
        // A facade's HttpException reaches the client unchanged.
        expect((await booted.get('/orders/quote?sku=cake&quantity=1')).status).toBe(404);
      } finally {
        await booted.stop();
      }
    });

    step('unit', `passes its own unit tests: \`npm ${story.unitTests.args.join(' ')}\` (${story.unitTests.runner}; specs import 'nest-modulith')`, ['install'], async () => {
      const result = ok(await app!.npm(story.unitTests.args));
      expect(plain(`${result.stdout}\n${result.stderr}`)).toMatch(story.unitTests.passed);
    });

    step('e2e', `passes its own e2e tests: \`npm ${story.e2eTests.args.join(' ')}\` (the whole AppModule, ModulithModule included)`, ['install'], async () => {
      const result = ok(await app!.npm(story.e2eTests.args));
      expect(plain(`${result.stdout}\n${result.stderr}`)).toMatch(story.e2eTests.passed);
    });

    step('affected', '`npx modulith test --affected` after an internal change of billing plans its tests only, and `modulith test orders` runs the orders slice with the app\'s own runner', ['install'], async () => {
      const plan = ok(await app!.npx(['modulith', 'test', '--affected', '--files', 'src/modules/billing/internal/price-list.ts', '--dry-run', '--format', 'json']));
      const parsed = JSON.parse(plan.stdout) as { modules: Array<{ name: string; reason: string; files: string[] }>; runner: { name: string } };
      expect({ modules: parsed.modules, runner: parsed.runner.name }).toEqual({
        modules: [{ name: 'billing', reason: 'changed (internals only)', files: ['src/modules/billing/billing.module.spec.ts'] }],
        runner: story.unitTests.runner.startsWith('Vitest') ? 'vitest' : 'jest',
      });
      const run = ok(await app!.npx(['modulith', 'test', 'orders']));
      expect(plain(`${run.stdout}\n${run.stderr}`)).toMatch(/orders.slice.spec.ts/);
      expect(plain(`${run.stdout}\n${run.stderr}`)).toMatch(story.unitTests.runner.startsWith('Vitest') ? /Tests\s+2 passed \(2\)/ : /Tests:\s+2 passed, 2 total/);
    });

    step('docs', '`npx modulith graph --format json` shows orders → billing, and `modulith docs` writes a canvas per module and the self-contained page', ['install'], async () => {
      const graph = JSON.parse(ok(await app!.npx(['modulith', 'graph', '--format', 'json'])).stdout) as { modules: Array<{ name: string }>; edges: Array<{ id: string; status: string }> };
      expect({ modules: graph.modules.map((m) => m.name), edges: graph.edges.map((e) => `${e.id} ${e.status}`) }).toEqual({
        modules: ['billing', 'orders'],
        edges: ['dependency:orders->billing ok'],
      });
      ok(await app!.npx(['modulith', 'docs']));
      const page = app!.read('docs/modules/index.html');
      expect(page).toContain('"name":"orders"');
      expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']https?:/);
      expect(app!.read('docs/modules/billing.md')).toMatch(/# billing/);
      ok(await app!.npx(['modulith', 'docs', '--check']));
    });

    step('check', '`npx modulith check` exits 0 on its two modules', ['install'], async () => {
      const result = ok(await app!.npx(['modulith', 'check']));
      expect(plain(`${result.stdout}\n${result.stderr}`)).toMatch(/✔ no boundary violations.* in 2 modules/);
    });
  });
}

function expectLoaded(stdout: string): void {
  expect(JSON.parse(stdout)).toEqual({
    exports: ENTRY_POINTS,
    events: expect.stringMatching(/^nest-modulith\/.+\.js$/),
    depcruise: 'function',
  });
}
