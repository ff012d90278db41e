// Jest runs in native ESM mode: NestJS 12 ships as pure ESM, and on Node 20 Jest can load it only
// through --experimental-vm-modules (see the `test` script). SWC strips types and keeps the
// decorator metadata Nest's dependency injection reads.
import { swcOptions } from './swc.config.js';

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/{src,modules,app,test}/**/*.{spec,test}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/fixtures/'],
  moduleNameMapper: {
    '^nest-modulith$': '<rootDir>/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
  },
  testTimeout: 30000,
};
