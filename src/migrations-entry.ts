// The package entry `nest-modulith/migrations`: per-module migrations (TypeORM). A separate entry
// so that apps without TypeORM import `nest-modulith` without loading it.
export * from './migrations/index.js';
