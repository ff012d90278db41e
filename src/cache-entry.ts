// The package entry `nest-modulith/cache`: a cache per module. A separate entry because it loads
// @nestjs/cache-manager, keyv (and @keyv/redis), optional peers an app without caches never needs.
export * from './cache/index.js';
