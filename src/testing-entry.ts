// The package entry `nest-modulith/testing`: module slice tests. A separate entry because it
// loads @nestjs/testing (a dev dependency of apps), which the app itself never needs.
export * from './testing/index.js';
