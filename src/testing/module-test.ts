import { Global, Module, type DynamicModule, type INestApplication, type LoggerService, type LogLevel, type Provider, type Type } from '@nestjs/common';
import { Test, type TestingModule, type TestingModuleBuilder } from '@nestjs/testing';
import { importOptionalPeer } from '../core/index.js';
import { locateModel, ModulithModule, restoreModule, standInModule } from '../runtime/index.js';
import { CapturedEvents } from './captured-events.js';
import { SliceStubs, type FacadeClass } from './facade-stubs.js';
import { declaredOnly, planSlice, reachableModules, type SliceBootstrap } from './slice.js';
import { Scenario } from './scenario.js';
import { ModuleSlice } from './module-slice.js';

/** TypeORM DataSource options (kept loose: TypeORM is an optional peer). */
export type SliceDatabaseOptions = { type: string } & Record<string, unknown>;

export interface ModuleTestOptions {
  /**
   * Which feature modules run for real besides the target and the shared kernels it reaches:
   * none ('standalone', the default), the ones it imports ('direct-dependencies') or all it
   * reaches ('all-dependencies'). Every other feature module it reaches is a stub.
   */
  bootstrap?: SliceBootstrap;
  /** Extra Nest modules to import. */
  imports?: Array<Type<unknown> | DynamicModule>;
  /** Extra providers, global so the slice's modules inject them (e.g. settings the app shell provides). */
  providers?: Provider[];
  /**
   * The database: in-memory SQLite (better-sqlite3, the default), TypeORM options of your own
   * (autoLoadEntities and synchronize default to true), or false for a module without TypeORM.
   */
  database?: 'sqlite' | false | SliceDatabaseOptions;
  /** ModulithEventsModule on that database, polling fast (default true; needs a database). */
  events?: boolean;
  /** Strict mode for the slice's facades, and unprogrammed stub calls reject (default true). */
  strict?: boolean;
  /** Last changes to the testing module: overrideProvider(...) etc. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Nest's logger for the app (default errors and warnings; false for none). */
  logger?: LoggerService | LogLevel[] | false;
  /** Where module.json files are read (default: next to each module's file, as the app boots). */
  rootDir?: string;
  roots?: string[];
  /** Where the modules' declared variables (module.json "config") are read from: ModulithModule.forRoot({ env }); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

// The outbox polls this fast in a slice: events and retries land within milliseconds.
const FAST_EVENTS = { pollMs: 10, backoffMs: 10, maxBackoffMs: 100, leaseMs: 5_000, shutdownGraceMs: 2_000 };

/**
 * Spring Modulith's @ApplicationModuleTest for NestJS: boots one feature module in a real Nest
 * container, the feature modules it reaches replaced by stubs of their facades (or booted for
 * real, per `bootstrap`), on an in-memory database with the outbox, and verified at boot like the
 * app. Module classes carry their Nest metadata, so one slice at a time per process: close it
 * (which restores the modules) before creating the next.
 *
 *   const slice = await ModuleTest.create(MediaModule, { providers: [{ provide: MediaSettings, useValue: settings }] });
 *   slice.stubs.of(BillingFacade).returns('charge', balance);
 */
export class ModuleTest {
  static async create(target: Type<unknown> | DynamicModule, options: ModuleTestOptions = {}): Promise<ModuleSlice> {
    const bootstrap = options.bootstrap ?? 'standalone';
    const strict = options.strict ?? true;
    const database = options.database ?? 'sqlite';
    const events = options.events ?? true;
    if (events && database === false) {
      throw new Error('ModuleTest.create: events need a database (the outbox is tables); pass events: false with database: false, or a database');
    }
    const found = reachableModules(target);
    const entries = [...found.values()].map((module) => module.entry);
    const model = locateModel(entries, options);
    const plan = planSlice(found, model, bootstrap);
    const undeclared = declaredOnly(found, model);
    plan.stubbed.push(...undeclared);
    entries.push(...undeclared.map((module) => module.entry));
    const name = plan.target.name;
    for (const module of plan.stubbed) {
      if (typeof module.entry !== 'function') {
        throw new Error(`ModuleTest.create: '${module.name}' is imported as a dynamic module (${module.type.name}.forRoot(...)), which a slice cannot stub; boot it for real (bootstrap: 'all-dependencies')`);
      }
    }

    const stubs = new SliceStubs({ target: name, strict });
    const touched = [...found.values()].map((module) => module.type);
    const restore = () => touched.forEach((type) => restoreModule(type));
    let app: INestApplication | undefined;
    try {
      for (const module of plan.stubbed) standInModule(module.type, stubs.standIn(module.name, module.facades as FacadeClass[]));
      const infrastructure = await loadInfrastructure(database, events);
      const captured = infrastructure.events && new CapturedEvents(infrastructure.events);
      let builder = Test.createTestingModule({
        imports: [
          ...infrastructure.database,
          ModulithModule.forRoot({ modules: entries, topology: { strict }, rootDir: options.rootDir, roots: options.roots, ...(options.env ? { env: options.env } : {}) }),
          ...(infrastructure.events ? [infrastructure.events.ModulithEventsModule.forRoot(FAST_EVENTS)] : []),
          ...(options.providers?.length ? [sliceProviders(options.providers)] : []),
          ...(options.imports ?? []),
        ],
      });
      if (infrastructure.events && captured) builder = builder.overrideProvider(infrastructure.events.OUTBOX_SINKS).useValue([captured.sink]);
      if (options.override) builder = options.override(builder);
      const testingModule: TestingModule = await builder.compile();
      app = testingModule.createNestApplication({ logger: options.logger ?? ['error', 'warn'] });
      await app.init();
      const publisher = infrastructure.events && app.get(infrastructure.events.EventPublisher);
      return new ModuleSlice({
        name,
        module: testingModule,
        app,
        stubs,
        captured: captured || undefined,
        modules: { inSlice: plan.inSlice.map((m) => m.name).sort(), stubbed: plan.stubbed.map((m) => m.name).sort() },
        scenario: (host) => new Scenario(host),
        publish: async (event) => {
          if (!publisher) throw new Error(`the slice of '${name}' runs without events (events: false); create it with events: true to publish`);
          return (await publisher.publish(event))[0];
        },
        restore,
      });
    } catch (error) {
      await app?.close().catch(() => undefined);
      restore();
      throw error;
    }
  }
}

type EventsApi = typeof import('../events/index.js');

/** TypeORM and the outbox, loaded only when the slice uses them (both need the optional peers). */
async function loadInfrastructure(database: ModuleTestOptions['database'], events: boolean): Promise<{ database: DynamicModule[]; events?: EventsApi }> {
  if (database === false) return { database: [] };
  const { TypeOrmModule } = await importOptionalPeer<typeof import('@nestjs/typeorm')>('@nestjs/typeorm', 'a module slice with a database');
  const options = database === 'sqlite' || database === undefined ? { type: 'better-sqlite3', database: ':memory:' } : database;
  const root = TypeOrmModule.forRoot({ autoLoadEntities: true, synchronize: true, logging: false, ...options } as Parameters<typeof TypeOrmModule.forRoot>[0]);
  return { database: [root], ...(events ? { events: await import('../events/index.js') } : {}) };
}

/** The extra providers, global so every module of the slice injects them without importing anything. */
function sliceProviders(providers: Provider[]): DynamicModule {
  @Global()
  @Module({})
  class SliceProvidersModule {}
  const tokens = providers.map((provider) => (typeof provider === 'function' ? provider : provider.provide));
  return { module: SliceProvidersModule, providers, exports: tokens };
}
