// Jest runs in native ESM mode: NestJS 12 ships as pure ESM, and on Node 20 Jest can load it only
// through --experimental-vm-modules (see the `test` script). SWC strips types and keeps the
// decorator metadata Nest's dependency injection reads.
import { swcOptions } from './swc.config.js';

const project = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/fixtures/'],
  moduleNameMapper: {
    '^nest-modulith$': '<rootDir>/src/index.ts',
    '^nest-modulith/events$': '<rootDir>/src/events-entry.ts',
    '^nest-modulith/testing$': '<rootDir>/src/testing-entry.ts',
    '^nest-modulith/migrations$': '<rootDir>/src/migrations-entry.ts',
    '^nest-modulith/cache$': '<rootDir>/src/cache-entry.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
  },
};

// The reference app's end-to-end HTTP suite (test/api/*.api.spec.ts) runs unchanged in three
// topologies (see test/support/test-app.ts): everything in one process (with the rest of the
// tests), media in a second process over NATS, and that media process crashed and restarted
// after every job submission. Run one with e.g. `npm test -- --selectProjects "api: media over NATS"`.
const API_SUITE = ['<rootDir>/test/api/**/*.api.spec.ts'];

// The adoption suite (test/adoption/*.adoption.spec.ts) packs this package and installs it into
// generated NestJS 11 and 12 apps (minutes; needs the npm registry, skipped with a reason when it is
// unreachable). Its own project, not `monolith`'s; alone: `npm test -- --selectProjects adoption`.
const ADOPTION_SUITE = '\\.adoption\\.spec\\.ts$';

export default {
  testTimeout: 30000,
  projects: [
    {
      ...project,
      displayName: 'monolith',
      testMatch: ['<rootDir>/{src,modules,app,test}/**/*.{spec,test}.ts'],
      testPathIgnorePatterns: [...project.testPathIgnorePatterns, ADOPTION_SUITE],
    },
    { ...project, displayName: 'api: media over NATS', testMatch: API_SUITE, setupFiles: ['<rootDir>/test/support/topology/remote.ts'] },
    {
      ...project,
      displayName: 'api: media killed and restarted',
      testMatch: API_SUITE,
      setupFiles: ['<rootDir>/test/support/topology/remote-restart.ts'],
    },
    {
      ...project,
      displayName: 'adoption',
      testMatch: ['<rootDir>/test/adoption/**/*.adoption.spec.ts'],
      globalSetup: '<rootDir>/test/adoption/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/adoption/support/global-teardown.ts',
    },
  ],
};
