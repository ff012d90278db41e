import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/boundaries/index.js';

/**
 * We eat our own food: this repository (src/, whose subsystems are sealed modules, and the
 * reference monolith in modules/) passes its own boundary check with its own .dependency-cruiser.js.
 */
describe('this repository', () => {
  it('has no boundary violations', async () => {
    const result = await runCheck({ rootDir: process.cwd(), cache: false });
    const errors = result.violations.filter((v) => v.severity === 'error');
    const described = errors.map((v) => `${v.rule}: ${v.from}${v.line ? `:${v.line}` : ''} -> ${v.to}\n    ${v.message}`).join('\n');
    expect(described).toBe('');
    expect(result.stale).toEqual([]);
    expect(result.stats.modules).toBeGreaterThanOrEqual(5);
  });
});
