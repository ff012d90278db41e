import { Global, Inject, Module, type DynamicModule, type OnModuleInit, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApplicationModules, loadApplicationModules } from '../core/index.js';
import { describeContainer } from './live-module.js';
import { ModuleVerificationError } from './module-verification.error.js';
import { verifyLiveModules } from './verify-live-modules.js';

export interface ModulithOptions {
  /** The app's feature modules (classes decorated with @FeatureModule). */
  modules: Array<Type<unknown> | DynamicModule>;
  /** Project root holding package.json and the modules roots; default process.cwd(). */
  rootDir?: string;
  /** Modules roots relative to rootDir; default package.json#modulith.roots, else `modules`. */
  roots?: string[];
  /** Verify the live container at boot (default true). Turn off only to debug a broken app. */
  verify?: boolean;
}

const OPTIONS = Symbol('nest-modulith:options');

/**
 * The feature modules actually running in this process (bound with @FeatureModule and present
 * in the Nest container), sorted by name. Filled in at init; empty before. The model
 * (ApplicationModules) lists every declared module, shared kernels and tooling included.
 */
export class RunningModules {
  names: string[] = [];
}

/** Runs the boot verification when Nest initialises the app; a violation makes init reject. */
class BootVerifier implements OnModuleInit {
  constructor(
    @Inject(ModulesContainer) private readonly container: ModulesContainer,
    @Inject(ApplicationModules) private readonly model: ApplicationModules,
    @Inject(OPTIONS) private readonly options: ModulithOptions,
    @Inject(RunningModules) private readonly running: RunningModules,
  ) {}

  onModuleInit(): void {
    const live = describeContainer(this.container);
    this.running.names = [...new Set(live.map((m) => m.name))].sort();
    if (this.options.verify === false) return;
    const violations = verifyLiveModules(this.model, live);
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
export class ModulithModule {
  static forRoot(options: ModulithOptions): DynamicModule {
    // Load (and validate) the model while the module graph is built, so a broken module.json
    // fails before any provider is created.
    const model = loadApplicationModules(options.rootDir ?? process.cwd(), { roots: options.roots });
    return {
      module: ModulithModule,
      imports: options.modules,
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: ApplicationModules, useValue: model },
        { provide: RunningModules, useValue: new RunningModules() },
        BootVerifier,
      ],
      exports: [ApplicationModules, RunningModules],
    };
  }
}
