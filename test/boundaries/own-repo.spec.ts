// @modulith-covers boundaries, cli
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/boundaries/index.js';
import { main } from '../../src/cli/index.js';

/**
 * We eat our own food: this repository (src/, whose subsystems are sealed modules, and the
 * reference monolith in modules/, when present) passes its own boundary check, configured by its
 * own .dependency-cruiser.js. Failures print every violation.
 */
describe('this repository', () => {
  it('has no boundary violations (import level)', async () => {
    const result = await runCheck({ rootDir: process.cwd(), cache: false, baseline: false });
    const errors = result.violations.filter((v) => v.severity === 'error');
    expect(errors.map((v) => `${v.rule}: ${v.from}${v.line ? `:${v.line}` : ''} -> ${v.to}\n    ${v.message}`).join('\n')).toBe('');
    expect(result.stats.modules).toBeGreaterThanOrEqual(5);
  });

  it('passes `modulith check` as CI runs it (symbol-level leaks and baseline included), exit 0', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['check', '--format', 'json', '--no-cache'], {
      cwd: process.cwd(),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      stderrIsTTY: false,
    });
    expect(stderr).toBe('');
    const output = JSON.parse(stdout) as { violations: { severity: string }[]; stale: unknown[] };
    expect(output.violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(output.stale).toEqual([]);
    expect(code).toBe(0);
  });

  it('commits an up-to-date module.api.md for every module (`modulith contracts --check`, exit 0)', async () => {
    let stdout = '';
    const code = await main(['contracts', '--check', '--no-cache'], { cwd: process.cwd(), stdout: (t) => (stdout += t), stderr: (t) => (stdout += t), stderrIsTTY: false });
    expect(stdout).toMatch(/^modulith contracts --check: \d+ module contracts match the code\n$/);
    expect(code).toBe(0);
  });
});
