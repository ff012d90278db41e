import 'reflect-metadata';
import { Module, type ModuleMetadata, type Provider, type Type, type Abstract } from '@nestjs/common';
import { ApplicationModules } from '../core/index.js';
import { definedIn } from './defined-in.js';
import { MODULITH_ENV, ModuleConfig, type ModulithEnv } from './module-config.js';

export const FEATURE_MODULE = 'nest-modulith:feature-module';

/** A facade binding: the public abstract class (the DI token) and its internal implementation. */
export type FacadeProvider<T = unknown> =
  | { provide: Abstract<T>; useClass: Type<T> }
  | { provide: Abstract<T>; useExisting: Type<T> | Abstract<T> }
  | { provide: Abstract<T>; useFactory: (...args: any[]) => T | Promise<T>; inject?: any[] };

export interface FeatureModuleOptions extends Omit<ModuleMetadata, 'exports'> {
  /** The module's name: the `name` of its module.json. */
  name: string;
  /** The module's public surface: each facade's abstract class is the only thing it exports. */
  facades?: FacadeProvider[];
  /**
   * Anything else to export. Normally empty: the boot verification refuses a feature module
   * that exports more than its facades, so this exists only to make that mistake visible.
   */
  exports?: ModuleMetadata['exports'];
}

/** What @FeatureModule records on the class, read back by the boot verification. */
export interface FeatureModuleMetadata {
  name: string;
  facades: Array<Abstract<unknown>>;
  /**
   * The file the module class is defined in (compiled or source), when the stack tells: its
   * module.json is found from there, so a build boots from any working directory.
   */
  file?: string;
}

/**
 * Declares a Nest module as a sealed nest-modulith module bound to its module.json.
 * It is a plain @Module whose exports are exactly its facades:
 *
 *   @FeatureModule({
 *     name: 'billing',
 *     imports: [TypeOrmModule.forFeature([CreditAccount])],
 *     facades: [{ provide: BillingFacade, useClass: BillingService }],
 *   })
 *   export class BillingModule {}
 */
export function FeatureModule(options: FeatureModuleOptions): ClassDecorator {
  // (Not destructured as `exports`: in the CommonJS build that name is the module's own exports object.)
  const { name, facades = [], exports: extraExports = [], providers = [], ...rest } = options;
  const facadeTokens = facades.map((f) => f.provide);
  const metadata: FeatureModuleMetadata = { name, facades: facadeTokens, file: definedIn() };
  const nestModule = Module({
    ...rest,
    // Its own ModuleConfig, bound to its name: it reads the module's declared variables only.
    providers: [...providers, ...(facades as Provider[]), moduleConfigProvider(name)],
    exports: [...facadeTokens, ...extraExports],
  });
  return (target) => {
    nestModule(target);
    Reflect.defineMetadata(FEATURE_MODULE, metadata, target);
  };
}

function moduleConfigProvider(name: string): Provider {
  return {
    provide: ModuleConfig,
    useFactory: (model?: ApplicationModules, env?: ModulithEnv) => new ModuleConfig(name, model, env ?? process.env),
    inject: [
      { token: ApplicationModules, optional: true },
      { token: MODULITH_ENV, optional: true },
    ],
  };
}

export function getFeatureModuleMetadata(target: unknown): FeatureModuleMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getOwnMetadata(FEATURE_MODULE, target) as FeatureModuleMetadata | undefined;
}
