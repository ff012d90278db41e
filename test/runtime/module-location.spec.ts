// @modulith-covers runtime
// Where the app finds its module.json files at boot. Not process.cwd(): a production image runs
// `node dist/main.js` from any directory, so each @FeatureModule's module.json is found next to
// the file that defines the module class, and that module's modules root gives the rest.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApplicationModules, FEATURE_MODULE, FeatureModule, getFeatureModuleMetadata, ModuleModelError, ModulithModule, type FeatureModuleMetadata } from 'nest-modulith';
import { tempProject, type TempProject } from '../core/temp-project.js';

abstract class OrdersFacade {
  abstract count(): Promise<number>;
}
@Injectable()
class OrdersService implements OrdersFacade {
  async count(): Promise<number> {
    return 7;
  }
}

/** A feature module class as the build defines it: its metadata names the compiled file. */
function moduleDefinedAt(name: string, file: string): Type<unknown> {
  @FeatureModule({ name, facades: [{ provide: OrdersFacade, useClass: OrdersService }] })
  class Compiled {}
  const meta = getFeatureModuleMetadata(Compiled)!;
  Reflect.defineMetadata(FEATURE_MODULE, { ...meta, file } satisfies FeatureModuleMetadata, Compiled);
  return Compiled;
}

async function boot(modules: Array<Type<unknown>>) {
  const moduleRef = await Test.createTestingModule({ imports: [ModulithModule.forRoot({ modules })] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

let build: TempProject;
beforeEach(() => {
  // A production image: only dist/, with module.json files copied next to the compiled modules.
  build = tempProject({
    'dist/modules/orders/module.json': { name: 'orders' },
    'dist/modules/orders/orders.module.js': '',
    'dist/modules/kernel/module.json': { name: 'kernel', shared: true },
    'dist/modules/legacy/nested/deep/legacy.module.js': '',
    'dist/modules/legacy/module.json': { name: 'legacy' },
    'dist/main.js': '',
  });
});
afterEach(() => build.dispose());

describe('ModulithModule.forRoot without rootDir', () => {
  it('records the file that defines each @FeatureModule class', () => {
    @FeatureModule({ name: 'here' })
    class HereModule {}
    expect(getFeatureModuleMetadata(HereModule)?.file).toBe(fileURLToPath(import.meta.url));
  });

  it('boots against the module.json files next to the compiled modules, whatever the working directory', async () => {
    // The working directory is this repository, whose own modules/ holds no 'orders': reading
    // process.cwd() (as forRoot did before) fails this boot.
    const app = await boot([moduleDefinedAt('orders', join(build.dir, 'dist/modules/orders/orders.module.js'))]);
    try {
      const model = app.get(ApplicationModules);
      expect(model.names).toEqual(['kernel', 'legacy', 'orders']);
      expect(model.rootDir).toBe(join(build.dir, 'dist/modules'));
      expect(await app.get<OrdersFacade>(OrdersFacade).count()).toBe(7);
    } finally {
      await app.close();
    }
  });

  it('walks up from a module class defined in a subfolder of its module', async () => {
    const app = await boot([moduleDefinedAt('legacy', join(build.dir, 'dist/modules/legacy/nested/deep/legacy.module.js'))]);
    expect(app.get(ApplicationModules).get('legacy')?.dir).toBe('legacy');
    await app.close();
  });

  it('names the compiled file and the nest-cli.json assets fix when the build lacks module.json', async () => {
    build.write({ 'dist/modules/billing/billing.module.js': '' });
    const error = await boot([moduleDefinedAt('billing', join(build.dir, 'dist/modules/billing/billing.module.js'))]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleModelError);
    expect((error as ModuleModelError).problems).toEqual([
      {
        file: join(build.dir, 'dist/modules/billing/billing.module.js'),
        message: "defines @FeatureModule 'billing', but no module.json is next to it or in a folder above it",
        fix: expect.stringContaining('"assets": [{ "include": "**/module.json", "watchAssets": true }, { "include": "**/module.api.md", "watchAssets": true }]'),
      },
    ]);
    expect((error as Error).message).toContain('ModulithModule.forRoot({ rootDir })');
  });

  it('refuses a module class that sits in the folder of another module', async () => {
    build.write({ 'dist/modules/orders/payments.module.js': '' });
    const error = await boot([moduleDefinedAt('payments', join(build.dir, 'dist/modules/orders/payments.module.js'))]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleModelError);
    expect((error as ModuleModelError).problems[0]).toMatchObject({
      message: expect.stringContaining("defines @FeatureModule 'payments' but sits in the folder of module 'orders'"),
      fix: "name it 'orders', or move it into the folder of 'payments'",
    });
  });
});

describe('the package built with npm run build', () => {
  const main = join(process.cwd(), 'dist/app/main.js');

  it('records @FeatureModule metadata and its file in the CommonJS build too', async () => {
    // The CommonJS build once stored it under an undefined key: a destructured `exports` variable
    // shadowed the module's own `exports` object, so no CommonJS app had a feature module.
    const dir = mkdtempSync(join(tmpdir(), 'modulith-cjs-'));
    const file = join(dir, 'billing.module.js');
    const cjs = join(process.cwd(), 'dist/cjs/src/index.js');
    if (!existsSync(cjs)) throw new Error('dist/cjs is missing: run `npm run build` (npm ci does) before the tests');
    writeFileSync(
      file,
      `const m = require(${JSON.stringify(cjs)});\n` +
        `class BillingModule {}\n` +
        `m.FeatureModule({ name: 'billing', exports: [] })(BillingModule);\n` +
        `const meta = m.getFeatureModuleMetadata(BillingModule);\n` +
        `console.log(JSON.stringify({ name: meta && meta.name, file: meta && meta.file, exports: Reflect.getMetadata('exports', BillingModule) }));\n`,
    );
    try {
      const { stdout } = await run(process.execPath, [file], dir);
      expect(JSON.parse(stdout)).toEqual({ name: 'billing', file, exports: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('boots with node dist/app/main.js from another working directory', async () => {
    if (!existsSync(main)) throw new Error('dist/app/main.js is missing: run `npm run build` (npm ci does) before the tests');
    const dir = mkdtempSync(join(tmpdir(), 'modulith-anywhere-'));
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: dir,
      env: { ...process.env, PORT: String(port), DATABASE_URL: 'sqlite::memory:', MEDIA_STORAGE_DIR: join(dir, 'media'), MODULITH_SERVE: '', MODULITH_REMOTE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('listening on')) resolve(`http://127.0.0.1:${port}/`);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      const body = (await (await fetch(url)).json()) as { modules: string[] };
      expect(body.modules).toEqual(['accounts', 'billing', 'media', 'notifications']);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function run(command: string, args: string[], cwd: string): Promise<{ stdout: string }> {
  return promisify(execFile)(command, args, { cwd });
}
