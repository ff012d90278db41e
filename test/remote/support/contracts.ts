import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CONTRACT_FILE, entryKey, facadeFingerprint, ModulithModule, renderContract, type FacadeSection, type Topology } from 'nest-modulith';
import { FIXTURE_MODULES, FIXTURE_ROOT } from './apps.js';

/**
 * Contract versions of the fixture modules, as `modulith contracts` writes them into
 * module.api.md (one line per method, types expanded). A "build" of the fixture is a folder
 * holding the fixture's module.json files and the module.api.md of one version per module:
 * apps booted with `rootDir` on it read their contracts from there, as a deployed build reads
 * the files copied next to its compiled modules.
 */
export const CATALOG_V1 = [
  'addedOn(id: string): Promise<Date>',
  'create(input: { name: string; price: number }): Promise<{ id: string; name: string; price: number; tags: string[] }>',
  'item(id: string): Promise<{ id: string; name: string; price: number; tags: string[] }>',
  'reserve(input: { accountId: string; amount: number }): Promise<void>',
  'search(term: string, limit?: number): Promise<string[]>',
  'slow(ms: number): Promise<string>',
];

/** V1 plus what a caller built against V1 can live with: an optional parameter and a method added. */
export const CATALOG_COMPATIBLE = [
  ...CATALOG_V1.filter((line) => !line.startsWith('search(')),
  'featured(limit?: number): Promise<string[]>',
  'search(term: string, limit?: number, offset?: number): Promise<string[]>',
];

/** V1 with a parameter's type changed (item) and a method removed (slow): breaking for a V1 caller. */
export const CATALOG_BREAKING = [
  ...CATALOG_V1.filter((line) => !line.startsWith('item(') && !line.startsWith('slow(')),
  'item(id: number): Promise<{ id: string; name: string; price: number; tags: string[] }>',
];

export const PRICING_V1 = ['price(itemId: string): Promise<number>'];

export function section(name: string, lines: readonly string[]): FacadeSection {
  return { name, methods: lines.map((text) => ({ key: entryKey('method', text), text })) };
}

export const fingerprintOf = (name: string, lines: readonly string[]): string => facadeFingerprint(section(name, lines));

/** The module.api.md text of a module with one facade. */
export function contractFile(module: string, facade: string, lines: readonly string[]): string {
  return renderContract({ module, exports: [], facades: [section(facade, lines)], publishes: [], listens: [], routes: [] });
}

/** A build of the fixture: its module.json files, with module.api.md for the modules given (none for the others). */
export interface FixtureBuild {
  dir: string;
  dispose(): void;
}

export function fixtureBuild(contracts: { catalog?: readonly string[] | string; pricing?: readonly string[] | string }): FixtureBuild {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-skew-'));
  for (const module of ['catalog', 'pricing', 'shop']) {
    mkdirSync(join(dir, 'modules', module), { recursive: true });
    cpSync(join(FIXTURE_ROOT, 'modules', module, 'module.json'), join(dir, 'modules', module, 'module.json'));
  }
  const write = (module: string, facade: string, contract: readonly string[] | string | undefined) => {
    if (contract === undefined) return;
    writeFileSync(join(dir, 'modules', module, CONTRACT_FILE), typeof contract === 'string' ? contract : contractFile(module, facade, contract));
  };
  write('catalog', 'CatalogFacade', contracts.catalog);
  write('pricing', 'PricingFacade', contracts.pricing);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every line the apps of a test logged, by level. */
export class LogCapture extends ConsoleLogger {
  readonly lines: Array<{ level: string; message: string }> = [];
  constructor() {
    super();
    this.setLogLevels(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  }
  private keep(level: string, message: unknown): void {
    this.lines.push({ level, message: String(message) });
  }
  override log(message: unknown): void {
    this.keep('log', message);
  }
  override error(message: unknown): void {
    this.keep('error', message);
  }
  override warn(message: unknown): void {
    this.keep('warn', message);
  }
  override debug(message: unknown): void {
    this.keep('debug', message);
  }
  override verbose(message: unknown): void {
    this.keep('verbose', message);
  }
  at(level: string, pattern: RegExp): string[] {
    return this.lines.filter((line) => line.level === level && pattern.test(line.message)).map((line) => line.message);
  }
}

/** A Nest app of the fixture modules booted from `build` (see startApp in apps.ts), logging into `logs`. */
export async function startBuild(build: FixtureBuild, topology: Topology, logs: LogCapture): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ModulithModule.forRoot({ modules: FIXTURE_MODULES, rootDir: build.dir, topology })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: logs });
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** A second real process serving catalog from `build` (fixtures/serve-catalog.ts); its output in `log()`. */
export interface ServingProcess {
  log(): string;
  stop(): Promise<void>;
}

export async function serveCatalogProcess(build: FixtureBuild, brokerUrl: string, namespace: string): Promise<ServingProcess> {
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'test/remote/fixtures/serve-catalog.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, BROKER_URL: brokerUrl, NAMESPACE: namespace, PROJECT_ROOT: build.dir, NO_COLOR: '1', MODULITH_BROKER_INSECURE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk;
      if (log.includes('serving\n')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the serving process exited (${code}) before it was ready:\n${log}`)));
  });
  return {
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
