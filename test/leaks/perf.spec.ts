import { afterAll, expect, it } from '@jest/globals';
import { loadApplicationModules } from '../../src/core/index.js';
import { findLeaks } from '../../src/leaks/index.js';
import { syntheticMonolith } from './synthetic-monolith.js';
import { removeProject, writeProject } from './write-project.js';

const root = writeProject(syntheticMonolith(40, 50, [7, 23]));
afterAll(() => removeProject(root));

it('analyses a 40 modules x 50 files monolith well under two seconds, and faster from the cache', () => {
  const model = loadApplicationModules(root);
  const started = performance.now();
  const violations = findLeaks(model);
  const cold = performance.now() - started;

  const cacheFile = '.modulith-cache/leaks.json';
  findLeaks(model, { cacheFile });
  const cachedStart = performance.now();
  const cached = findLeaks(model, { cacheFile });
  const warm = performance.now() - cachedStart;

  console.log(`findLeaks on 40x50 modules: ${cold.toFixed(0)} ms cold, ${warm.toFixed(0)} ms from cache`);
  expect(violations.map((v) => [v.rule, v.from, v.to])).toEqual([
    ['exposes-entity', 'modules/m07/index.ts', 'modules/m07/internal/entity-0.ts'],
    ['exposes-entity', 'modules/m23/index.ts', 'modules/m23/internal/entity-0.ts'],
  ]);
  expect(cached).toEqual(violations);
  expect(cold).toBeLessThan(2000);
});
