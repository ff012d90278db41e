import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { cleanEnv, npm, npx, run, succeeded, type CommandResult } from './commands.js';
import { cachedNodeModules, copyNodeModules, readJsonFile } from './install-cache.js';
import { REPO_ROOT } from './tarball.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'adoption');

/** Keep the generated apps after the suite (their paths are printed), for a look at a failure. */
const KEEP = process.env.MODULITH_ADOPTION_KEEP === '1';

/** How long a step may take. Installs on a cold npm cache take the longest. */
export const STEP_TIMEOUT_MS = 600_000;

/**
 * A generated NestJS app in a folder of its own (outside this repository, so nothing of ours
 * resolves from it): a captured `nest new` app (test/fixtures/adoption/<base>), optionally with
 * an overlay of files a user adds to it (test/fixtures/adoption/<overlay>: files are replaced or
 * added; its package.json is merged into the app's), its dependencies copied from the install
 * cache, and nest-modulith installed from a tarball like any npm package.
 */
export class AdoptionApp {
  /** Every command run in the app, in order, for the summary. */
  readonly log: Array<{ command: string; ms: number; code: number | null }> = [];

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly base: string,
  ) {}

  static async create(base: string, overlay?: string): Promise<{ app: AdoptionApp; cache: { hit: boolean; ms: number } }> {
    const baseDir = join(FIXTURES, base);
    const parent = mkdtempSync(join(tmpdir(), 'modulith-adoption-'));
    const name = overlay ?? base;
    const dir = join(parent, name);
    try {
      cpSync(baseDir, dir, { recursive: true });
      if (overlay) applyOverlay(join(FIXTURES, overlay), dir);
      const packageLock = readJsonFile(join(dir, 'package-lock.json'));
      const cache = await cachedNodeModules(base, { packageJson: readJsonFile(join(baseDir, 'package.json')), packageLock });
      const copied = Date.now();
      await copyNodeModules(cache.dir, join(dir, 'node_modules'));
      const app = new AdoptionApp(name, dir, base);
      app.log.push({ command: `(install cache ${cache.hit ? 'hit' : 'miss: npm ci'}) + copy of node_modules`, ms: cache.ms + Date.now() - copied, code: 0 });
      return { app, cache };
    } catch (error) {
      rmSync(parent, { recursive: true, force: true });
      throw error;
    }
  }

  /** `npm install <tarball>`: what `npm i nest-modulith` does, from the packed tarball. */
  installPackage(tarball: string): Promise<CommandResult> {
    return this.npm(['install', tarball, '--prefer-offline', '--no-audit', '--no-fund']);
  }

  npm(args: string[], timeoutMs = STEP_TIMEOUT_MS): Promise<CommandResult> {
    return this.record(npm(args, { cwd: this.dir, timeoutMs }));
  }

  /** `npx --no -- <bin> ...`: a binary of the app's own node_modules, never one fetched on the fly. */
  npx(args: string[], timeoutMs = STEP_TIMEOUT_MS): Promise<CommandResult> {
    return this.record(npx(['--no', '--', ...args], { cwd: this.dir, timeoutMs }));
  }

  node(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
    return this.record(run(process.execPath, args, { cwd: options.cwd ?? this.dir, env: cleanEnv(), timeoutMs: options.timeoutMs ?? 60_000 }));
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  exists(path: string): boolean {
    return existsSync(this.path(path));
  }

  read(path: string): string {
    return readFileSync(this.path(path), 'utf8');
  }

  readJson(path: string): Record<string, any> {
    return JSON.parse(this.read(path)) as Record<string, any>;
  }

  write(path: string, text: string): void {
    writeFileSync(this.path(path), text);
  }

  /** Replaces `search` in a generated file; fails (naming the file) when the generated text is not what we expect. */
  edit(path: string, search: string | RegExp, replacement: string): void {
    const text = this.read(path);
    const next = text.replace(search, replacement);
    if (next === text) throw new Error(`${path} of ${this.name} does not contain ${String(search)}:\n${text}`);
    this.write(path, next);
  }

  /** Project-relative paths of every file under `dir`, `/`-separated, sorted. */
  files(dir: string): string[] {
    const out: string[] = [];
    const walk = (abs: string) => {
      for (const entry of readdirSync(abs, { withFileTypes: true })) {
        const path = join(abs, entry.name);
        if (entry.isDirectory()) walk(path);
        else out.push(relative(this.dir, path).split(sep).join('/'));
      }
    };
    if (this.exists(dir)) walk(this.path(dir));
    return out.sort();
  }

  /**
   * Every installed copy of a package on disk (node_modules/<name>/package.json anywhere in the
   * tree), as project-relative folder and version. More than one copy of @nestjs/core is the
   * bug this suite exists for: the app's providers and nest-modulith's would live in two
   * different Nest containers.
   */
  installedCopies(pkg: string): Array<{ path: string; version: string }> {
    const found: Array<{ path: string; version: string }> = [];
    const walk = (nodeModules: string) => {
      if (!existsSync(nodeModules)) return;
      for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        const names = entry.name.startsWith('@')
          ? readdirSync(join(nodeModules, entry.name), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${entry.name}/${e.name}`)
          : [entry.name];
        for (const name of names) {
          const dir = join(nodeModules, name);
          if (name === pkg && existsSync(join(dir, 'package.json'))) {
            found.push({ path: relative(this.dir, dir).split(sep).join('/'), version: (readJsonFile(join(dir, 'package.json')).version as string) ?? '?' });
          }
          walk(join(dir, 'node_modules'));
        }
      }
    };
    walk(this.path('node_modules'));
    return found.sort((a, b) => a.path.localeCompare(b.path));
  }

  remove(): void {
    if (KEEP) {
      console.log(`MODULITH_ADOPTION_KEEP=1: kept ${this.dir}`);
      return;
    }
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }

  private async record(pending: Promise<CommandResult>): Promise<CommandResult> {
    const result = await pending;
    this.log.push({ command: result.command, ms: result.ms, code: result.code });
    return result;
  }
}

/** Files of the overlay replace or join the app's; its package.json is merged (objects deeply, anything else replaced). */
function applyOverlay(overlay: string, dir: string): void {
  for (const entry of readdirSync(overlay, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const from = join(entry.parentPath, entry.name);
    const path = relative(overlay, from);
    if (path === 'package.json') {
      const merged = merge(readJsonFile(join(dir, 'package.json')), readJsonFile(from));
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify(merged, null, 2)}\n`);
    } else {
      cpSync(from, join(dir, path));
    }
  }
}

function merge(target: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value;
  }
  return out;
}

/** Throws the command's diagnostic unless it exited 0. */
export function ok(result: CommandResult): CommandResult {
  return succeeded(result);
}
