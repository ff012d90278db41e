// The package entry `nest-modulith/events`: the transactional outbox (TypeORM). A separate entry
// so that apps without TypeORM import `nest-modulith` without loading it.
export * from './events/index.js';
