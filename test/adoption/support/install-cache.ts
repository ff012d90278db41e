import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandFailedError, npm, run } from './commands.js';
import { withLock } from './lock.js';

/** Where installed fixture dependencies are kept between runs (MODULITH_ADOPTION_CACHE overrides it). */
export const CACHE_DIR = process.env.MODULITH_ADOPTION_CACHE ?? join(tmpdir(), 'modulith-adoption-cache');

export interface LockedDependencies {
  packageJson: Record<string, any>;
  packageLock: Record<string, any>;
}

/**
 * A node_modules holding exactly what a fixture's package-lock.json says (`npm ci`), installed
 * once and kept under CACHE_DIR, keyed by a hash of the dependencies, the lockfile, the Node
 * major, the platform and the npm version. Fixtures that share a lockfile share the folder.
 * Returns the cached node_modules folder (read-only by convention: copy it, never install into it).
 */
export async function cachedNodeModules(name: string, deps: LockedDependencies): Promise<{ dir: string; hit: boolean; ms: number }> {
  const started = Date.now();
  const npmVersion = (await npm(['--version'], { cwd: tmpdir() })).stdout.trim();
  const { packages = {}, ...lockRest } = deps.packageLock;
  const { name: _name, version: _version, ...rootEntry } = packages[''] ?? {};
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        dependencies: deps.packageJson.dependencies ?? {},
        devDependencies: deps.packageJson.devDependencies ?? {},
        lockfileVersion: lockRest.lockfileVersion,
        packages: { ...packages, '': rootEntry },
        node: process.versions.node.split('.')[0],
        platform: `${process.platform}-${process.arch}`,
        npm: npmVersion,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE_DIR, `${name}-${key}`);
  const modules = join(dir, 'node_modules');
  if (existsSync(join(dir, '.complete'))) return { dir: modules, hit: true, ms: Date.now() - started };

  mkdirSync(CACHE_DIR, { recursive: true });
  await withLock(`${dir}.lock`, async () => {
    if (existsSync(join(dir, '.complete'))) return;
    const staging = `${dir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'package.json'), JSON.stringify(deps.packageJson, null, 2));
    writeFileSync(join(staging, 'package-lock.json'), JSON.stringify(deps.packageLock, null, 2));
    const result = await npm(['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: staging, timeoutMs: 900_000 });
    if (result.code !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new CommandFailedError(result, `failed: installing the dependencies of fixture ${name}`);
    }
    writeFileSync(join(staging, '.complete'), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  });
  return { dir: modules, hit: false, ms: Date.now() - started };
}

/**
 * Puts a cached node_modules into an app. On Linux its files are hard links (seconds instead of
 * a minute for ~30,000 files), which is safe because nothing the suite runs writes a file of
 * node_modules in place: npm replaces packages by renaming folders and writes new files, tools
 * write their caches into new folders (node_modules/.vite). The one file npm rewrites in place,
 * its hidden lockfile node_modules/.package-lock.json, is replaced by a copy of its own first.
 * Elsewhere, or across devices, a real copy.
 */
export async function copyNodeModules(from: string, to: string): Promise<void> {
  if (process.platform === 'linux') {
    const linked = await run('cp', ['-al', from, to], { cwd: tmpdir(), timeoutMs: 600_000 });
    if (linked.code === 0) {
      const hidden = join(to, '.package-lock.json');
      if (existsSync(hidden)) {
        const text = readFileSync(hidden);
        const { mtime, atime } = statSync(hidden);
        rmSync(hidden);
        writeFileSync(hidden, text);
        // npm trusts its hidden lockfile only when it is not older than the folders it describes.
        utimesSync(hidden, atime, mtime);
      }
      return;
    }
    rmSync(to, { recursive: true, force: true });
  }
  const copied = await run('cp', ['-R', '-p', from, to], { cwd: tmpdir(), timeoutMs: 600_000 });
  if (copied.code !== 0) cpSync(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
}

export function readJsonFile(path: string): Record<string, any> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
}
