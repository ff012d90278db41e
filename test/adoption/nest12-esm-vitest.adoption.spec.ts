import { featureAppStory } from './support/feature-app.js';
import { registryUnavailable } from './support/suite.js';

/**
 * (b) A NestJS 12 app exactly as `nest new` (@nestjs/cli 12) makes it: ESM ("type": "module",
 * "module": "nodenext"), Vitest 4 (whose Vite 8 / Oxc transform emits the decorator metadata
 * Nest's DI reads, from tsconfig's emitDecoratorMetadata: the generator adds no SWC plugin),
 * TypeScript 6. Fixtures: test/fixtures/adoption/nest12 (generated) + nest12-esm-vitest (what
 * the user adds).
 */
featureAppStory({
  title: 'adoption: a NestJS 12 ESM app (nest new, Vitest)',
  base: 'nest12',
  overlay: 'nest12-esm-vitest',
  format: 'esm',
  unitTests: { args: ['test'], passed: /Tests\s+5 passed \(5\)/, runner: 'Vitest' },
  e2eTests: { args: ['run', 'test:e2e'], passed: /Tests\s+2 passed \(2\)/ },
  registryUnavailable: await registryUnavailable(),
});
