import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { getFeatureModuleMetadata } from '../runtime/index.js';
import { importOptionalPeer } from '../core/index.js';
import { ModulithCacheRoot, type ModulithCacheOptions } from './cache-root.js';
import { ModuleCache, type CacheBackend } from './module-cache.js';

/** Injection token of the app's ModulithCacheRoot. */
export const MODULITH_CACHE_ROOT = Symbol.for('nest-modulith:cache-root');
/** Injection token of the module name a forFeature import is for. */
export const MODULE_CACHE_NAME = 'nest-modulith:module-cache-name';

interface NestCacheManager {
  CacheModule: { registerAsync(options: Record<string, unknown>): DynamicModule };
  CACHE_MANAGER: string | symbol;
}

/** Closes the Redis connection when the app closes. */
@Injectable()
class CacheRootLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MODULITH_CACHE_ROOT) private readonly root: ModulithCacheRoot) {}
  async onApplicationShutdown(): Promise<void> {
    await this.root.close();
  }
}

/**
 * Refuses the boot when a feature module imports another module's cache: forFeature(name) takes
 * the name as a string, so only this check (against each importer's @FeatureModule name) keeps
 * `forFeature('billing')` in media from reading or clearing billing's entries.
 */
@Injectable()
class CacheOwnershipCheck implements OnModuleInit {
  constructor(@Inject(ModulesContainer) private readonly container: ModulesContainer) {}

  onModuleInit(): void {
    const problems: string[] = [];
    for (const module of this.container.values()) {
      for (const imported of module.imports) {
        if (imported?.metatype !== ModulithCacheModule) continue;
        const name = imported.providers.get(MODULE_CACHE_NAME)?.instance as string | undefined;
        // Plain Nest modules (the app shell, an app not yet split into feature modules) are not checked.
        const owner = getFeatureModuleMetadata(module.metatype)?.name;
        if (name !== undefined && owner !== undefined && name !== owner) {
          problems.push(
            `${module.metatype.name} (feature module '${owner}') imports ModulithCacheModule.forFeature('${name}'): a module's cache is its own. ` +
              `Fix: forFeature('${owner}'), and ask the '${name}' facade for its data`,
          );
        }
      }
    }
    if (problems.length > 0) throw new Error(`nest-modulith: the app must not start:\n  - ${problems.join('\n  - ')}`);
  }
}

@Global()
@Module({})
class ModulithCacheRootModule {}

/**
 * The module caches. The app module imports `ModulithCacheModule.forRoot()` once (in memory, or
 * Redis when REDIS_URL is set); each feature module imports `ModulithCacheModule.forFeature('name')`
 * and injects `ModuleCache`, whose keys are its own. Loads @nestjs/cache-manager, cache-manager,
 * keyv (and @keyv/redis with Redis) only when used.
 */
@Module({})
export class ModulithCacheModule {
  static forRoot(options: ModulithCacheOptions = {}): DynamicModule {
    return {
      module: ModulithCacheRootModule,
      global: true,
      providers: [{ provide: MODULITH_CACHE_ROOT, useFactory: () => new ModulithCacheRoot(options) }, CacheRootLifecycle, CacheOwnershipCheck],
      exports: [MODULITH_CACHE_ROOT],
    };
  }

  /** `ModuleCache` for the module `name` (its module.json name), on its own cache-manager instance. */
  static async forFeature(name: string): Promise<DynamicModule> {
    const { CacheModule, CACHE_MANAGER } = await importOptionalPeer<NestCacheManager>('@nestjs/cache-manager', 'the module cache (ModuleCache)');
    return {
      module: ModulithCacheModule,
      imports: [
        CacheModule.registerAsync({
          // The name is a provider value, so each module's CacheModule is its own instance.
          extraProviders: [{ provide: MODULE_CACHE_NAME, useValue: name }],
          inject: [MODULE_CACHE_NAME, { token: MODULITH_CACHE_ROOT, optional: true }],
          useFactory: (module: string, root: ModulithCacheRoot | undefined) => requireRoot(root, module).storeOptions(module),
        }),
      ],
      providers: [
        { provide: MODULE_CACHE_NAME, useValue: name },
        {
          provide: ModuleCache,
          inject: [MODULE_CACHE_NAME, CACHE_MANAGER, { token: MODULITH_CACHE_ROOT, optional: true }],
          useFactory: (module: string, cache: CacheBackend, root: ModulithCacheRoot | undefined) => new ModuleCache(module, requireRoot(root, module).prefixOf(module), cache),
        },
      ],
      exports: [ModuleCache],
    };
  }
}

/**
 * The app's root, or, when the app imports no ModulithCacheModule.forRoot() (a module slice, a
 * small app), one in-memory root for the process: entries stay in memory, each module its own.
 */
function requireRoot(root: ModulithCacheRoot | undefined, _module: string): ModulithCacheRoot {
  return root ?? (inMemoryRoot ??= new ModulithCacheRoot({ redisUrl: undefined, namespace: 'modulith' }, {}));
}

let inMemoryRoot: ModulithCacheRoot | undefined;
