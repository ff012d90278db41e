import { Global, Inject, Logger, Module, Optional, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnModuleInit, type Provider, type Type } from '@nestjs/common';
import { APP_INTERCEPTOR, ModulesContainer } from '@nestjs/core';
import { ApplicationModules } from '../core/index.js';
import { BrokerClient, gatewayMiddleware, inboxPrefix, requireBrokerCredential, type BrokerOptions } from '../remote/index.js';
import { admitDeclaredCycles, type BaselinedCycles } from './baselined-cycles.js';
import { verifyDataOwnership } from './data-ownership.js';
import { readFacadeContracts } from './facade-contracts.js';
import { describeContainer } from './live-module.js';
import { locateModel } from './locate-model.js';
import { placeModules, type PlacedModule } from './module-placement.js';
import { ModuleScopeInterceptor } from './module-scope.interceptor.js';
import { PLACEMENT, RemoteWiring } from './remote-wiring.js';
import { topologyKey, type Topology } from './topology.js';
import { ModuleVerificationError } from './module-verification.error.js';
import { verifyLiveModules } from './verify-live-modules.js';
import { MODULITH_ENV, verifyModuleConfig, type ModulithEnv } from './module-config.js';

export interface ModulithOptions {
  /** The app's feature modules (classes decorated with @FeatureModule). */
  modules: Array<Type<unknown> | DynamicModule>;
  /**
   * Project root holding package.json and the modules roots. Default: none — each feature
   * module's module.json is found next to the module's own (compiled) file, so the app boots
   * from any working directory; the build must then contain the module.json files.
   */
  rootDir?: string;
  /** Modules roots relative to rootDir (default rootDir's package.json#modulith.roots, else `modules`). */
  roots?: string[];
  /** Verify the live container at boot (default true). Turn off only to debug a broken app. */
  verify?: boolean;
  /**
   * Where each module runs (default: all in this process). Usually `topologyFromEnv()`, i.e.
   * MODULITH_SERVE / MODULITH_REMOTE / MODULITH_BROKER_URL / MODULITH_STRICT.
   */
  topology?: Topology;
  /**
   * The baseline (`modulith baseline`'s modulith-baseline.json) that may record cycles of the
   * declared `dependsOn` graph: the app refuses to boot with a declared cycle unless the baseline
   * records it, and then boots with a warning naming it. A path (absolute, or relative to the
   * project root), false for none. Default: modulith-baseline.json in the folder the module.json
   * files are read from or a folder above it, up to the nearest package.json with a "name" —
   * ship it next to package.json in an image. Read only when there is a declared cycle.
   */
  baseline?: string | false;
  /**
   * Where the modules' declared variables (module.json "config") are read from: each module's
   * ModuleConfig, and the boot check that refuses to start without a required one or with one
   * that does not parse. Default process.env; tests pass an object.
   */
  env?: ModulithEnv;
}

const OPTIONS = Symbol('nest-modulith:options');
const BASELINED_CYCLES = Symbol('nest-modulith:baselined-cycles');

/**
 * The feature modules actually running in this process (bound with @FeatureModule and present
 * in the Nest container), sorted by name. Filled in at init; empty before. The model
 * (ApplicationModules) lists every declared module, shared kernels and tooling included.
 */
export class RunningModules {
  names: string[] = [];
  /** Feature modules this process reaches over the broker (their facades are clients). */
  remote: string[] = [];
}

/** Runs the boot verification when Nest initialises the app; a violation makes init reject. */
class BootVerifier implements OnModuleInit {
  constructor(
    @Inject(ModulesContainer) private readonly container: ModulesContainer,
    @Inject(ApplicationModules) private readonly model: ApplicationModules,
    @Inject(OPTIONS) private readonly options: ModulithOptions,
    @Inject(RunningModules) private readonly running: RunningModules,
    @Inject(PLACEMENT) private readonly placement: PlacedModule[],
    @Inject(BASELINED_CYCLES) private readonly baselined: BaselinedCycles,
  ) {}

  onModuleInit(): void {
    for (const cycle of this.baselined.cycles) {
      new Logger('Modulith').warn(
        `declared dependencies form a cycle: ${[...cycle, cycle[0]].join(' -> ')} — booting because ${this.baselined.baselineFile} records it; ` +
          'break it (see `modulith check`), then run `modulith baseline`',
      );
    }
    const live = describeContainer(this.container);
    const remote = new Set(this.placement.filter((m) => !m.hosted).map((m) => m.name));
    this.running.names = [...new Set(live.map((m) => m.name))].filter((name) => !remote.has(name)).sort();
    this.running.remote = [...remote].sort();
    if (this.options.verify === false) return;
    const violations = [...verifyLiveModules(this.model, live), ...verifyDataOwnership(this.model, live)];
    if (violations.length > 0) throw new ModuleVerificationError(violations);
  }
}

/**
 * The root of a modular monolith: composes the feature modules and checks them against their
 * module.json files before the app serves anything.
 *
 *   @Module({ imports: [ModulithModule.forRoot({ modules: [AccountsModule, BillingModule] })] })
 *   export class AppModule {}
 */
@Global()
@Module({})
export class ModulithModule implements NestModule {
  constructor(
    @Inject(PLACEMENT) private readonly placement: PlacedModule[],
    @Optional() @Inject(BrokerClient) private readonly broker?: BrokerClient,
  ) {}

  static forRoot(options: ModulithOptions): DynamicModule {
    // Load (and validate) the model while the module graph is built, so a broken module.json
    // fails before any provider is created.
    const model = locateModel(options.modules, options);
    // A cycle of the declared graph refuses the boot, unless the baseline records it.
    const baselined = admitDeclaredCycles(model, options.baseline);
    // Place the modules before Nest scans them: remote ones become stand-ins holding clients.
    const topology = options.topology ?? {};
    const placement = placeModules(options.modules, topology);
    // The variables of the modules this process hosts (a remote module's are its own process's):
    // every missing required one and every one that does not parse refuse the boot.
    const env = options.env ?? process.env;
    const hosted = placement.filter((m) => m.hosted).map((m) => model.get(m.name)).filter((m) => m !== undefined);
    const configViolations = verifyModuleConfig(hosted, env);
    if (configViolations.length > 0) throw new ModuleVerificationError(configViolations);
    const brokerOptions = topology.broker && resolveBroker(topology);
    // With a broker, the facade contracts (module.api.md) the calls carry and check, read once here.
    const broker: Provider[] = brokerOptions
      ? [{ provide: BrokerClient, useValue: new BrokerClient(brokerOptions, readFacadeContracts(model, placement)) }, RemoteWiring]
      : [];
    return {
      module: ModulithModule,
      imports: options.modules,
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: PLACEMENT, useValue: placement },
        { provide: BASELINED_CYCLES, useValue: baselined },
        { provide: ApplicationModules, useValue: model },
        { provide: RunningModules, useValue: new RunningModules() },
        { provide: MODULITH_ENV, useValue: env },
        BootVerifier,
        // HTTP handlers of a module's controllers run in its scope (the caller of their facade calls).
        { provide: APP_INTERCEPTOR, useClass: ModuleScopeInterceptor },
        ...broker,
      ],
      exports: [ApplicationModules, RunningModules, MODULITH_ENV, ...(topology.broker ? [BrokerClient] : [])],
    };
  }

  /** The gateway: requests under `/<module>` of a remote module are forwarded to the process that hosts it. */
  configure(consumer: MiddlewareConsumer): void {
    const routed = this.placement.filter((m) => !m.hosted && m.hasRoutes).map((m) => m.name);
    if (routed.length === 0 || !this.broker) return;
    consumer.apply(gatewayMiddleware(routed, this.broker)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}

/**
 * The broker options this process runs with: a credential is required (or an explicit opt-out,
 * MODULITH_BROKER_INSECURE=1, which RemoteWiring logs), and replies come back under this process
 * group's own inbox prefix unless the topology names one.
 */
function resolveBroker(topology: Topology): BrokerOptions {
  const broker = topology.broker!;
  const { insecure } = requireBrokerCredential(broker, 'ModulithModule.forRoot({ topology })');
  return {
    ...broker,
    ...(insecure ? { insecure: true } : {}),
    inboxPrefix: broker.inboxPrefix ?? inboxPrefix(broker.namespace, topologyKey(topology)),
  };
}
