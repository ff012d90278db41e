// Public API of the `cache` module (package entry `nest-modulith/cache`): a cache per module.
//
// - ModulithCacheModule.forRoot({ redisUrl?, namespace?, ttl? }) in the app module, once: entries
//   in memory (per process) by default, in Redis when `redisUrl` or REDIS_URL is set (one
//   connection, closed with the app); every key is prefixed by `namespace` (default
//   MODULITH_NAMESPACE, else `modulith`) and the module: `<namespace>:<module>::<key>`.
// - ModulithCacheModule.forFeature('billing') in a feature module's imports, then inject
//   ModuleCache: get/set/del/wrap (ttl in ms) and clear(), which empties only that module's entries.
//   No module can read or evict another's: a module needing another's data asks its facade.
// - Needs the optional peers @nestjs/cache-manager, cache-manager and keyv (and @keyv/redis for
//   Redis), loaded only when a cache is used; a missing one fails naming the npm install.
export { ModulithCacheModule, MODULITH_CACHE_ROOT, MODULE_CACHE_NAME } from './modulith-cache.module.js';
export { ModuleCache, type CacheBackend } from './module-cache.js';
export { ModulithCacheRoot, KEY_SEPARATOR, type ModulithCacheOptions, type ModuleCacheStoreOptions } from './cache-root.js';
