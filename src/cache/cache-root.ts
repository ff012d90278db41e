import { importOptionalPeer, isModuleName } from '../core/index.js';

export interface ModulithCacheOptions {
  /** Redis to keep entries in (redis:// or rediss://); default REDIS_URL; unset: in memory, per process. */
  redisUrl?: string;
  /** The app's prefix of every key; default MODULITH_NAMESPACE, else `modulith`. */
  namespace?: string;
  /** Default time to live of an entry, in milliseconds; default: until evicted or cleared. */
  ttl?: number;
}

/** Keys are `<namespace>:<module>::<key>` in Redis (in memory: one store per module). */
export const KEY_SEPARATOR = '::';
const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The options cache-manager gets for one module's cache: its own Keyv store, namespaced. */
export interface ModuleCacheStoreOptions {
  stores: unknown[];
  ttl?: number;
}

interface KeyvModule {
  Keyv: new (options: Record<string, unknown>) => { disconnect(): Promise<void> };
}
interface KeyvRedisModule {
  default: new (client: unknown, options: Record<string, unknown>) => unknown;
  createClient: (options: { url: string }) => { connect(): Promise<unknown>; close?(): Promise<void>; quit?(): Promise<unknown>; destroy?(): void; isOpen?: boolean; on(event: string, listener: (error: Error) => void): unknown };
}

/**
 * The app's side of the module caches (one per process, from ModulithCacheModule.forRoot): where
 * entries live and the namespace prefix. Each module asks it for its own store; in Redis they
 * share one connection, each store under `<namespace>:<module>`, so clearing one module's cache
 * deletes only the keys under its prefix.
 */
export class ModulithCacheRoot {
  readonly namespace: string;
  readonly redisUrl: string | undefined;
  readonly ttl: number | undefined;
  private client: Promise<ReturnType<KeyvRedisModule['createClient']>> | undefined;

  constructor(options: ModulithCacheOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    this.namespace = options.namespace ?? (env.MODULITH_NAMESPACE || 'modulith');
    if (!NAMESPACE.test(this.namespace)) throw new Error(`nest-modulith: the cache namespace '${JSON.stringify(this.namespace).slice(1, -1)}' must be lowercase letters, digits, '-' or '_' (at most 64)`);
    const url = options.redisUrl ?? (env.REDIS_URL || undefined);
    if (url !== undefined && !/^rediss?:\/\/./.test(url)) throw new Error('nest-modulith: the cache needs a Redis URL (redis://host:6379 or rediss://...); check REDIS_URL');
    this.redisUrl = url;
    if (options.ttl !== undefined && !(Number.isInteger(options.ttl) && options.ttl > 0)) throw new Error('nest-modulith: the cache ttl must be a positive whole number of milliseconds');
    this.ttl = options.ttl;
  }

  /** Where the entries of `module` live: `<namespace>:<module>`. */
  prefixOf(module: string): string {
    if (!isModuleName(module)) throw new Error(`nest-modulith: ModuleCache needs a module name (lowercase, kebab-case), not '${JSON.stringify(module).slice(1, -1)}'`);
    return `${this.namespace}:${module}`;
  }

  /** cache-manager options for `module`'s cache: a Keyv store of its own. */
  async storeOptions(module: string): Promise<ModuleCacheStoreOptions> {
    const namespace = this.prefixOf(module);
    const { Keyv } = await importOptionalPeer<KeyvModule>('keyv', 'the module cache (ModuleCache)');
    let store: unknown;
    if (this.redisUrl) {
      const redis = await importOptionalPeer<KeyvRedisModule>('@keyv/redis', 'the module cache in Redis (REDIS_URL)');
      store = new Keyv({ store: new redis.default(await this.redisClient(redis), { namespace, keyPrefixSeparator: KEY_SEPARATOR }), namespace, useKeyPrefix: false });
    } else {
      store = new Keyv({ store: new Map(), namespace });
    }
    return { stores: [store], ...(this.ttl !== undefined ? { ttl: this.ttl } : {}) };
  }

  /** Closes the Redis connection, if one was opened. */
  async close(): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    if (!pending) return;
    const client = await pending.catch(() => undefined);
    if (!client) return;
    if (client.close) await client.close().catch(() => undefined);
    else if (client.quit) await client.quit().catch(() => undefined);
    else client.destroy?.();
  }

  private redisClient(redis: KeyvRedisModule): Promise<ReturnType<KeyvRedisModule['createClient']>> {
    this.client ??= (async () => {
      const client = redis.createClient({ url: this.redisUrl! });
      // A dropped connection reconnects; its errors must not crash the process.
      client.on('error', () => undefined);
      await client.connect();
      return client;
    })();
    return this.client;
  }
}
