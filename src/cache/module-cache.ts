/** The part of cache-manager's Cache a ModuleCache uses. */
export interface CacheBackend {
  get<T>(key: string): Promise<T | undefined | null>;
  set<T>(key: string, value: T, ttl?: number): Promise<T>;
  del(key: string): Promise<boolean>;
  clear(): Promise<boolean>;
  wrap<T>(key: string, fn: () => T | Promise<T>, ttl?: number): Promise<T>;
}

/**
 * One module's cache. Inject it in a feature module that imports
 * `ModulithCacheModule.forFeature('<module>')`. Its keys live under `<namespace>:<module>`, so the
 * same key in two modules holds two entries, and `clear()` empties only this module's: a module
 * needing another's data asks that module's facade, never its cache. Values must survive JSON in
 * Redis (plain data, no class instances); `ttl` is in milliseconds.
 */
export class ModuleCache {
  constructor(
    /** The module that owns the entries. */
    readonly module: string,
    /** `<app namespace>:<module>`: the prefix of its keys in Redis. */
    readonly namespace: string,
    private readonly backend: CacheBackend,
  ) {}

  /** The entry under `key`, or undefined. */
  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.backend.get<T>(checkKey(key));
    return value ?? undefined;
  }

  async set<T>(key: string, value: T, ttl?: number): Promise<T> {
    return this.backend.set(checkKey(key), value, checkTtl(ttl));
  }

  /** Removes the entry; true when there was one (in memory; Redis reports true either way). */
  async del(key: string): Promise<boolean> {
    return this.backend.del(checkKey(key));
  }

  /** The entry under `key`, or `fn()`'s result, stored for `ttl` ms; concurrent calls share one `fn()`. */
  async wrap<T>(key: string, fn: () => T | Promise<T>, ttl?: number): Promise<T> {
    return this.backend.wrap(checkKey(key), fn, checkTtl(ttl));
  }

  /** Removes every entry of this module, and only this module's. */
  async clear(): Promise<void> {
    await this.backend.clear();
  }
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw new Error('nest-modulith: a ModuleCache key is a non-empty string of at most 512 characters');
  return key;
}

function checkTtl(ttl: number | undefined): number | undefined {
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new Error('nest-modulith: a ModuleCache ttl is a positive whole number of milliseconds');
  return ttl;
}
