import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandFailedError, npm } from './commands.js';
import { withLock } from './lock.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Set by global-setup.ts once per Jest run, so every spec file of the run shares one tarball. */
export const RUN_ENV = 'MODULITH_ADOPTION_RUN';
/** A prebuilt tarball to test instead of packing this repository (e.g. a release candidate, or an older commit's). */
export const TARBALL_ENV = 'MODULITH_ADOPTION_TARBALL';

let packing: Promise<string> | undefined;

/**
 * This repository as users receive it: `npm pack` (which runs `prepare`, the build) into a folder
 * of this run, once per run; later calls (also from other spec files of the run) reuse the
 * tarball. MODULITH_ADOPTION_TARBALL names a tarball to use instead.
 */
export function packedTarball(): Promise<string> {
  const given = process.env[TARBALL_ENV];
  if (given) {
    const path = isAbsolute(given) ? given : resolve(REPO_ROOT, given);
    if (!existsSync(path)) return Promise.reject(new Error(`${TARBALL_ENV}=${given}: no such file`));
    return Promise.resolve(path);
  }
  packing ??= packOncePerRun();
  return packing;
}

async function packOncePerRun(): Promise<string> {
  const runId = process.env[RUN_ENV] ?? `pid-${process.pid}`;
  const dir = join(tmpdir(), `modulith-adoption-pack-${runId}`);
  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, '.lock'), async () => {
    const existing = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (existing) return join(dir, existing);
    const result = await npm(['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, timeoutMs: 600_000 });
    if (result.code !== 0) throw new CommandFailedError(result, 'failed: the package could not be packed (`npm pack` runs its `prepare` build)');
    const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{ filename: string }>;
    return join(dir, packed.filename);
  });
}
