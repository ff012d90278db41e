import { featureAppStory } from './support/feature-app.js';
import { registryUnavailable } from './support/suite.js';

/**
 * (a) A NestJS 11 app exactly as `nest new` (@nestjs/cli 11) makes it: CommonJS output
 * ("module": "nodenext", no "type": "module"), Jest + ts-jest. Fixtures:
 * test/fixtures/adoption/nest11 (generated) + nest11-cjs-jest (what the user adds).
 * This is the app that, with NestJS as a regular dependency of nest-modulith, got a second
 * @nestjs/core 12 and failed to boot ("Nest can't resolve dependencies of the BootVerifier").
 */
featureAppStory({
  title: 'adoption: a NestJS 11 CommonJS app (nest new, Jest + ts-jest)',
  base: 'nest11',
  overlay: 'nest11-cjs-jest',
  format: 'commonjs',
  unitTests: { args: ['test', '--', '--ci'], passed: /Tests:\s+5 passed, 5 total/, runner: 'Jest + ts-jest' },
  e2eTests: { args: ['run', 'test:e2e', '--', '--ci'], passed: /Tests:\s+2 passed, 2 total/ },
  registryUnavailable: await registryUnavailable(),
});
