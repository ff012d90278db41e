// @modulith-covers runtime
// A cycle in the declared dependsOn graph at boot: ModulithModule.forRoot refuses it, naming the
// cycle and the fix, unless the project's baseline (`modulith baseline`) records it; then the app
// boots and logs a warning naming it. The baseline is found without process.cwd(): next to the
// project's package.json, from source and from a built image alike.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, type LoggerService, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FEATURE_MODULE, FeatureModule, getFeatureModuleMetadata, ModuleModelError, ModulithModule, type FeatureModuleMetadata, type ModulithOptions } from 'nest-modulith';
import { runCli } from '../cli/support/run-cli.js';
import { tempProject, type TempProject } from '../core/temp-project.js';

abstract class ReportingFacade {
  abstract total(): Promise<number>;
}
@Injectable()
class ReportingService implements ReportingFacade {
  async total(): Promise<number> {
    return 3;
  }
}

@FeatureModule({ name: 'orders' })
class OrdersModule {}
@FeatureModule({ name: 'reporting', facades: [{ provide: ReportingFacade, useClass: ReportingService }] })
class ReportingModule {}

/** A feature module class as a build defines it: its metadata names the compiled file. */
function moduleDefinedAt(name: string, file: string): Type<unknown> {
  @FeatureModule({ name })
  class Compiled {}
  const meta = getFeatureModuleMetadata(Compiled)!;
  Reflect.defineMetadata(FEATURE_MODULE, { ...meta, file } satisfies FeatureModuleMetadata, Compiled);
  return Compiled;
}

/** Collects what the app logs. */
class Captured implements LoggerService {
  warnings: string[] = [];
  log(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

/** Boots a real Nest app; forRoot's refusal is thrown while the module graph is built. */
async function boot(options: ModulithOptions): Promise<{ warnings: string[]; close: () => Promise<void>; get: <T>(token: unknown) => T }> {
  const moduleRef = await Test.createTestingModule({ imports: [ModulithModule.forRoot(options)] }).compile();
  const logger = new Captured();
  const app = moduleRef.createNestApplication({ logger });
  await app.init();
  return { warnings: logger.warnings, close: () => app.close(), get: (token) => app.get(token as never) };
}

function refusal(options: ModulithOptions): ModuleModelError {
  try {
    ModulithModule.forRoot(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ModuleModelError);
    return error as ModuleModelError;
  }
  throw new Error('expected forRoot to refuse the declared cycle');
}

let project: TempProject;
afterEach(() => project.dispose());

describe('a declared cycle, from source (rootDir)', () => {
  beforeEach(() => {
    project = tempProject({
      'package.json': { name: 'app', private: true },
      'tsconfig.json': { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } },
      'modules/orders/module.json': { name: 'orders', dependsOn: ['reporting'] },
      'modules/orders/index.ts': 'export const orders = 1;\n',
      'modules/reporting/module.json': { name: 'reporting', dependsOn: ['orders'] },
      'modules/reporting/index.ts': 'export const reporting = 1;\n',
    });
  });

  it('refuses to boot, naming the cycle and how to fix or baseline it', async () => {
    const error = refusal({ modules: [OrdersModule, ReportingModule], rootDir: project.dir });
    expect(error.problems).toEqual([
      {
        file: 'modules/orders/module.json',
        message: 'declared dependencies form a cycle: orders -> reporting -> orders',
        fix: expect.stringContaining('remove one of these dependencies'),
      },
    ]);
    expect(error.problems[0].fix).toContain(
      `to boot while you untangle it, record it with \`modulith baseline\` and ship modulith-baseline.json with the app (looked for it in ${project.dir}), ` +
        "or pass ModulithModule.forRoot({ baseline: '/path/to/modulith-baseline.json' })",
    );
    // what a real app's module graph gets: the refusal, before any provider is created
    await expect(boot({ modules: [OrdersModule, ReportingModule], rootDir: project.dir })).rejects.toThrow(/modules\/orders\/module\.json: declared dependencies form a cycle: orders -> reporting -> orders\n {4}fix: /);
  });

  it('boots when `modulith baseline` recorded the cycle, with a warning naming it', async () => {
    expect((await runCli(['baseline', '--no-leaks'], project.dir)).code).toBe(0);
    const app = await boot({ modules: [OrdersModule, ReportingModule], rootDir: project.dir });
    try {
      expect(await app.get<ReportingFacade>(ReportingFacade).total()).toBe(3);
      expect(app.warnings).toEqual([
        `declared dependencies form a cycle: orders -> reporting -> orders — booting because ${join(project.dir, 'modulith-baseline.json')} records it; break it (see \`modulith check\`), then run \`modulith baseline\``,
      ]);
    } finally {
      await app.close();
    }
  });

  it('refuses when the baseline does not record the cycle, saying which file it read', () => {
    project.write({ 'modulith-baseline.json': { version: 1, violations: [{ rule: 'module-cycle', from: 'x', to: 'y', cycle: ['billing', 'orders'] }] } });
    const error = refusal({ modules: [OrdersModule, ReportingModule], rootDir: project.dir });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].fix).toContain(`ship the updated modulith-baseline.json with the app (it is read from ${join(project.dir, 'modulith-baseline.json')})`);
  });

  it('refuses with `baseline: false` even when the baseline records the cycle', async () => {
    expect((await runCli(['baseline', '--no-leaks'], project.dir)).code).toBe(0);
    const error = refusal({ modules: [OrdersModule, ReportingModule], rootDir: project.dir, baseline: false });
    expect(error.problems[0].fix).toContain('baselines are turned off (ModulithModule.forRoot({ baseline: false }))');
  });

  it('refuses with a baseline that is not one, naming it', () => {
    project.write({ 'modulith-baseline.json': '{ "violations": 3 }' });
    const error = refusal({ modules: [OrdersModule, ReportingModule], rootDir: project.dir });
    expect(error.problems.map((p) => [p.file, p.message])).toEqual([
      [join(project.dir, 'modulith-baseline.json'), 'is not a modulith baseline (expected { "version": 1, "violations": [...] })'],
      ['modules/orders/module.json', 'declared dependencies form a cycle: orders -> reporting -> orders'],
    ]);
  });
});

describe('a declared cycle in a built image (dist/ only, booted from any directory)', () => {
  let modules: Array<Type<unknown>>;
  beforeEach(() => {
    // /app/package.json, the module.json files next to the compiled modules, and a build's
    // { "type": "commonjs" } marker in dist/ (not the project root: it has no name).
    project = tempProject({
      'package.json': { name: 'app', private: true },
      'dist/package.json': { type: 'commonjs' },
      'dist/main.js': '',
      'dist/modules/orders/module.json': { name: 'orders', dependsOn: ['reporting'] },
      'dist/modules/orders/orders.module.js': '',
      'dist/modules/reporting/module.json': { name: 'reporting', dependsOn: ['orders'] },
      'dist/modules/reporting/reporting.module.js': '',
    });
    modules = [
      moduleDefinedAt('orders', join(project.dir, 'dist/modules/orders/orders.module.js')),
      moduleDefinedAt('reporting', join(project.dir, 'dist/modules/reporting/reporting.module.js')),
    ];
  });

  const BASELINE = { version: 1, violations: [{ rule: 'module-cycle', from: 'modules/orders/module.json', to: 'modules/reporting/module.json', cycle: ['orders', 'reporting'] }] };

  it('without a baseline, refuses and says where it looked and how to allow it', () => {
    const error = refusal({ modules });
    expect(error.problems.map((p) => [p.file, p.message])).toEqual([['dist/modules/orders/module.json', 'declared dependencies form a cycle: orders -> reporting -> orders']]);
    const searched = [join(project.dir, 'dist/modules'), join(project.dir, 'dist'), project.dir].join(', ');
    expect(error.problems[0].fix).toContain(`ship modulith-baseline.json with the app (looked for it in ${searched}), or pass ModulithModule.forRoot({ baseline: '/path/to/modulith-baseline.json' })`);
  });

  it('boots with the baseline shipped next to package.json', async () => {
    project.write({ 'modulith-baseline.json': BASELINE });
    const app = await boot({ modules });
    expect(app.warnings).toEqual([expect.stringContaining(`orders -> reporting -> orders — booting because ${join(project.dir, 'modulith-baseline.json')} records it`)]);
    await app.close();
  });

  it('boots with the baseline named by the option, relative to the project root; refuses when it is not there', async () => {
    mkdirSync(join(project.dir, 'config'));
    writeFileSync(join(project.dir, 'config/cycles.json'), JSON.stringify(BASELINE));
    const app = await boot({ modules, baseline: 'config/cycles.json' });
    expect(app.warnings).toHaveLength(1);
    await app.close();

    const error = refusal({ modules, baseline: 'config/nope.json' });
    expect(error.problems[0]).toEqual({ file: join(project.dir, 'config/nope.json'), message: 'does not exist (ModulithModule.forRoot({ baseline }))', fix: 'ship the baseline there, or correct the path' });
  });
});
