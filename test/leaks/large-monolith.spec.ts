// @modulith-covers leaks, core
import { afterAll, expect, it } from '@jest/globals';
import { loadApplicationModules } from '../../src/core/index.js';
import { findLeaks } from '../../src/leaks/index.js';
import { syntheticMonolith } from './synthetic-monolith.js';
import { removeProject, writeProject } from './write-project.js';

const root = writeProject(syntheticMonolith(40, 50, [7, 23]));
afterAll(() => removeProject(root));

// Speed is measured by `npm run bench:check`, not asserted here: this test checks that a large
// monolith is analysed correctly and that the cache returns the same answer.
it('finds exactly the planted leaks in a 40 modules x 50 files monolith, with and without its cache', () => {
  const model = loadApplicationModules(root);
  const violations = findLeaks(model);

  const cacheFile = '.modulith-cache/leaks.json';
  expect(findLeaks(model, { cacheFile })).toEqual(violations);
  const cached = findLeaks(model, { cacheFile });
  expect(violations.map((v) => [v.rule, v.from, v.to])).toEqual([
    ['exposes-entity', 'modules/m07/index.ts', 'modules/m07/internal/entity-0.ts'],
    ['exposes-entity', 'modules/m23/index.ts', 'modules/m23/internal/entity-0.ts'],
  ]);
  expect(cached).toEqual(violations);
});
