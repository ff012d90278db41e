// @modulith-covers boundaries, cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBaseline, DEFAULT_BASELINE, defaultCacheDir, runCheck, writeBaseline, type BoundaryViolation } from '../../src/boundaries/index.js';
import { configPlugin } from '../../src/cli/index.js';
import { manifest, removeProjects, tsconfig, writeFile, writeProject } from '../boundaries/support/project.js';

afterAll(removeProjects);

const MEDIA_SERVICE = [
  "import { ConfigService } from '@nestjs/config';", // 1
  "import type { ModuleConfig } from 'nest-modulith';", // 2
  'const KEY = "MEDIA_TOKEN";', // 3
  'export class MediaService {', // 4
  '  constructor(private readonly configService: ConfigService, private readonly config: ModuleConfig) {}', // 5
  '  ok() { return [process.env.MEDIA_BUCKET, this.config.get("MEDIA_BUCKET"), process.env[KEY]]; }', // 6
  '  plain() { return process.env.MEDIA_REGION; }', // 7
  "  element() { return process.env['MEDIA_ZONE']; }", // 8
  '  service() { return this.configService.get("MEDIA_QUOTA") ?? this.configService.getOrThrow("MEDIA_LIMIT"); }', // 9
  '  theirs() { return this.config.get("STARTING_CREDITS"); }', // 10
  '  dynamic(name: string) { return process.env[name]; }', // 11
  '  nested() { return this.configService.get("database.host"); }', // 12
  '  odd() { return process.env["my var\\u0000 ☃"]; }', // 13
  '  map() { return new Map<string, number>().get("NOT_CONFIG"); }', // 14
  '}', // 15
  '',
].join('\n');

const MEDIA_SETTINGS = [
  'const { MEDIA_BUCKET, MEDIA_DEPTH, STARTING_CREDITS: credits } = process.env;', // 1
  'const env = process.env;', // 2
  "export const depth = env['MEDIA_DEPTH'] ?? env.MEDIA_WIDTH;", // 3
  'const { ...everything } = process.env;', // 4
  'export const all = [MEDIA_BUCKET, MEDIA_DEPTH, credits, everything];', // 5
  '',
].join('\n');

function fixture(extra: Record<string, string> = {}): string {
  return writeProject({
    'tsconfig.json': tsconfig({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['modules', 'src'] }),
    'modules/accounts/module.json': manifest('accounts', [], { config: { STARTING_CREDITS: { description: 'credits of a new account', type: 'integer', default: '100' } } }),
    'modules/accounts/index.ts': 'export const credits = Number(process.env.STARTING_CREDITS);\n',
    'modules/media/module.json': manifest('media', [], {
      config: { MEDIA_BUCKET: { description: 'bucket', required: true }, MEDIA_TOKEN: { description: 'token', secret: true } },
    }),
    'modules/media/index.ts': "export { MediaService } from './media.service.js';\n",
    'modules/media/media.service.ts': MEDIA_SERVICE,
    'modules/media/media.settings.ts': MEDIA_SETTINGS,
    // A module's tests are its code: a variable they read is one the module needs.
    'modules/media/media.spec.ts': 'export const fake = process.env.MEDIA_FAKE;\n',
    // The app shell reads anything.
    'src/main.ts': 'export const port = [process.env.PORT, process.env.STARTING_CREDITS, process.env[String(Math.random())]];\n',
    ...extra,
  });
}

type Scan = { files: string[]; typescript: boolean };

function check(rootDir: string, scans: Scan[] = [], options: { cache?: boolean; baseline?: string | false } = {}) {
  return runCheck({ rootDir, baseline: options.baseline ?? false, cache: options.cache ?? false, plugins: [configPlugin({ onScanned: (run) => scans.push(run) })] });
}

function undeclared(violations: readonly BoundaryViolation[]): BoundaryViolation[] {
  return violations.filter((v) => v.rule === 'undeclared-config');
}

function brief(violations: readonly BoundaryViolation[]): string[] {
  return undeclared(violations).map((v) => `${v.from}:${v.line} ${v.to} ${v.toModule ?? '-'}`);
}

describe('check rule undeclared-config', () => {
  it('reports every read of a variable the module does not declare, and of one another module declares', async () => {
    const result = await check(fixture());
    expect(result.exitCode).toBe(1);
    expect(brief(result.found)).toEqual([
      'modules/media/media.service.ts:7 env:MEDIA_REGION -',
      'modules/media/media.service.ts:8 env:MEDIA_ZONE -',
      'modules/media/media.service.ts:9 env:MEDIA_LIMIT -',
      'modules/media/media.service.ts:9 env:MEDIA_QUOTA -',
      'modules/media/media.service.ts:10 env:STARTING_CREDITS accounts',
      'modules/media/media.service.ts:11 env:[computed] -',
      'modules/media/media.service.ts:13 env:my var? ? -',
      'modules/media/media.settings.ts:1 env:MEDIA_DEPTH -',
      'modules/media/media.settings.ts:1 env:STARTING_CREDITS accounts',
      'modules/media/media.settings.ts:3 env:MEDIA_DEPTH -',
      'modules/media/media.settings.ts:3 env:MEDIA_WIDTH -',
      'modules/media/media.settings.ts:4 env:[computed] -',
      'modules/media/media.spec.ts:1 env:MEDIA_FAKE -',
    ]);
    const messages = undeclared(result.found).map((v) => `${v.line} ${v.message} | ${v.fix}`);
    expect(messages).toContain(
      '7 media reads MEDIA_REGION (process.env.MEDIA_REGION), which modules/media/module.json does not declare | declare it in modules/media/module.json "config": "MEDIA_REGION": { "description": "...", "type": "string" }',
    );
    expect(messages).toContain(
      "10 media reads STARTING_CREDITS (this.config.get()), which module accounts declares (modules/accounts/module.json): a module reads only its own variables | ask accounts through its facade, or declare STARTING_CREDITS in modules/media/module.json \"config\" if media needs its own setting",
    );
    expect(messages).toContain(
      '11 media reads an environment variable whose name is computed (process.env[name]): it cannot be checked against modules/media/module.json | read each variable by its literal name and declare it in modules/media/module.json "config"',
    );
    expect(undeclared(result.found).every((v) => v.severity === 'error' && v.fromModule === 'media')).toBe(true);
  });

  it('lets the app shell read anything, and a module its own variables (a const key included)', async () => {
    const result = await check(fixture());
    expect(undeclared(result.found).filter((v) => v.from === 'src/main.ts' || v.from.startsWith('modules/accounts/'))).toEqual([]);
    expect(brief(result.found).some((v) => v.includes('MEDIA_BUCKET') || v.includes('MEDIA_TOKEN'))).toBe(false);
  });

  it('passes once the module declares what it reads', async () => {
    const root = fixture();
    writeFile(root, 'modules/media/media.service.ts', 'export class MediaService { region = process.env.MEDIA_REGION; }\n');
    writeFile(root, 'modules/media/media.settings.ts', 'export {};\n');
    writeFile(root, 'modules/media/media.spec.ts', 'export {};\n');
    expect(brief((await check(root)).found)).toEqual(['modules/media/media.service.ts:1 env:MEDIA_REGION -']);
    writeFile(root, 'modules/media/module.json', manifest('media', [], { config: { MEDIA_REGION: { description: 'region' } } }));
    const result = await check(root);
    expect(undeclared(result.found)).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('is baselinable: a baselined read passes, a new one fails', async () => {
    const root = fixture();
    const first = await check(root);
    writeBaseline(root, DEFAULT_BASELINE, createBaseline(first.found));
    const second = await check(root, [], { baseline: DEFAULT_BASELINE });
    expect(second.exitCode).toBe(0);
    expect(undeclared(second.violations)).toEqual([]);
    writeFile(root, 'modules/media/media.spec.ts', 'export const fake = [process.env.MEDIA_FAKE, process.env.MEDIA_OTHER];\n');
    const third = await check(root, [], { baseline: DEFAULT_BASELINE });
    expect(third.exitCode).toBe(1);
    expect(brief(third.violations)).toEqual(['modules/media/media.spec.ts:1 env:MEDIA_OTHER -']);
  });

  it('reuses its cache on a warm run: no file read, TypeScript not loaded; an edit re-scans that file only', async () => {
    const root = fixture();
    const scans: Scan[] = [];
    const cold = await check(root, scans, { cache: true });
    expect(scans.pop()).toEqual({ files: ['modules/accounts/index.ts', 'modules/media/media.service.ts', 'modules/media/media.settings.ts', 'modules/media/media.spec.ts'], typescript: true });
    const cacheFile = join(defaultCacheDir(root), 'undeclared-config.json');
    const written = readFileSync(cacheFile, 'utf8');
    const mtime = statSync(cacheFile).mtimeMs;

    // A new plugin instance (no memory): the cache file answers, untouched.
    const warm = await check(root, scans, { cache: true });
    expect(scans.pop()).toEqual({ files: [], typescript: false });
    expect(brief(warm.found)).toEqual(brief(cold.found));
    expect(statSync(cacheFile).mtimeMs).toBe(mtime);
    expect(readFileSync(cacheFile, 'utf8')).toBe(written);

    // A module.json change needs no re-scan: the reads are checked against the model each run.
    writeFile(root, 'modules/media/module.json', manifest('media', [], { config: { MEDIA_BUCKET: { description: 'bucket' }, MEDIA_TOKEN: { description: 'token' }, MEDIA_FAKE: { description: 'fake' } } }));
    const declared = await check(root, scans, { cache: true });
    expect(scans.pop()).toEqual({ files: [], typescript: false });
    expect(brief(declared.found)).toEqual(brief(cold.found).filter((v) => !v.includes('MEDIA_FAKE')));

    writeFile(root, 'modules/media/media.settings.ts', 'export const x = process.env.MEDIA_NEW;\n');
    const edited = await check(root, scans, { cache: true });
    expect(scans.pop()).toEqual({ files: ['modules/media/media.settings.ts'], typescript: true });
    expect(brief(edited.found).filter((v) => v.includes('media.settings.ts'))).toEqual(['modules/media/media.settings.ts:1 env:MEDIA_NEW -']);
  });
});

describe('undeclared-config on this repository', () => {
  it('finds none: every module declares what it reads', async () => {
    const result = await runCheck({ rootDir: process.cwd(), baseline: false, cache: false, plugins: [configPlugin()] });
    expect(undeclared(result.found)).toEqual([]);
  }, 120000);
});
