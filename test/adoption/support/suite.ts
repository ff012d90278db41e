import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { tmpdir } from 'node:os';
import { npm } from './commands.js';
import { STEP_TIMEOUT_MS, type AdoptionApp } from './adoption-app.js';

/** Set by CI (.ci/run): a missing service (here: the npm registry) is then a failure, never a skip. */
const requireServices = process.env.MODULITH_REQUIRE_SERVICES === '1';

let registry: Promise<string | undefined> | undefined;

/** Why the npm registry cannot be used (undefined when `npm ping` answers). */
export function registryUnavailable(): Promise<string | undefined> {
  registry ??= npm(['ping'], { cwd: tmpdir(), timeoutMs: 30_000 }).then((r) =>
    r.code === 0 ? undefined : `the npm registry does not answer \`npm ping\` (${(r.stderr || r.stdout).trim().split('\n').pop()})`,
  );
  return registry;
}

/**
 * `describe` for a suite that installs packages: skipped with its reason printed when the npm
 * registry is unreachable, or, under MODULITH_REQUIRE_SERVICES=1, a failing test instead.
 */
export function describeWithRegistry(title: string, unavailable: string | undefined, body: () => void): void {
  if (!unavailable) describe(title, body);
  else if (requireServices) {
    describe(title, () => {
      it('needs the npm registry (MODULITH_REQUIRE_SERVICES=1)', () => {
        throw new Error(unavailable);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${unavailable}`);
    describe.skip(title, body);
  }
}

/**
 * Steps of one adoption story, run in order as separate tests so the report shows which parts
 * pass. A step names the steps it needs; when one of them did not pass it fails at once saying
 * so, instead of failing again on a consequence. Prints a timing summary of the app's commands.
 */
export function adoptionSteps(getApp: () => AdoptionApp | undefined) {
  const passed = new Set<string>();
  let started = 0;
  beforeAll(() => {
    started = Date.now();
  });
  afterAll(() => {
    const app = getApp();
    if (!app) return;
    const lines = app.log.map((c) => `  ${(c.ms / 1000).toFixed(1).padStart(6)} s  ${c.code === 0 ? '   ' : `[${c.code}]`} ${c.command.replace(app.dir, '<app>')}`);
    console.log(`${app.name}: ${((Date.now() - started) / 1000).toFixed(1)} s in all\n${lines.join('\n')}`);
  });
  return function step(id: string, title: string, needs: string[], work: () => Promise<void>, timeoutMs = STEP_TIMEOUT_MS): void {
    it(
      title,
      async () => {
        const missing = needs.filter((n) => !passed.has(n));
        if (missing.length > 0) throw new Error(`not run: needs step(s) ${missing.map((m) => `'${m}'`).join(', ')}, which did not pass`);
        await work();
        passed.add(id);
      },
      timeoutMs,
    );
  };
}
