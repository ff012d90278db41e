// The package entry of nest-modulith. Each subsystem is a sealed module of its own (src/*/module.json);
// this file only re-exports their public APIs.
export * from './core/index.js';
export * from './runtime/index.js';
export * from './remote/index.js';
export * from './events/index.js';
