// @modulith-covers cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeProjects, writeFile, writeProject } from '../boundaries/support/project.js';
import { NEST_11_APP, NEST_12_APP } from '../scaffold/nest-new-apps.js';
import { runCli } from './support/run-cli.js';

// The quick start on the app `nest new` just wrote: check, init, new, check, extract.

afterAll(removeProjects);

const HINT = 'modulith check: no modules yet under src/modules — create one with `npx modulith new <name>`\n';

describe('modulith check on an app without modules', () => {
  it.each([
    ['NestJS 11', NEST_11_APP],
    ['NestJS 12', NEST_12_APP],
  ])('%s, fresh from `nest new` (no "modulith" key): exit 0, a hint on stderr, valid JSON on stdout', async (_, app) => {
    const root = writeProject(app);
    const pretty = await runCli(['check'], root);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toMatch(/^✔ no boundary violations \(\d+ files in 0 modules checked in \d+ ms\)\n$/);
    expect(pretty.stderr).toBe(HINT);

    const json = await runCli(['check', '--format', 'json'], root);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ violations: [], known: 0, stale: [] });
    expect(json.stderr).toBe(HINT);
  });

  it('a configured root that is missing or empty is no module yet either', async () => {
    const root = writeProject({ ...NEST_11_APP, 'package.json': JSON.stringify({ name: 'x', modulith: { roots: ['src/features'] } }) });
    expect(await runCli(['check'], root)).toMatchObject({ code: 0, stderr: 'modulith check: no modules yet under src/features — create one with `npx modulith new <name>`\n' });
    writeFile(root, 'src/features/.gitkeep', '');
    expect((await runCli(['check'], root)).code).toBe(0);
  });

  it('Nest modules without module.json: exit 0, and the hint says to adopt them with init', async () => {
    const root = writeProject({ ...NEST_11_APP, 'src/users/users.module.ts': 'export class UsersModule {}\n' });
    const run = await runCli(['check'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('modulith check: no modules yet: src/ holds Nest modules without a module.json (users) — adopt them with `npx modulith init`\n');
  });

  it('other misconfigurations still exit 2: a missing root next to one that holds modules', async () => {
    const root = writeProject({
      ...NEST_11_APP,
      'package.json': JSON.stringify({ name: 'x', modulith: { roots: ['src/modules', 'lib'] } }),
      'src/modules/billing/module.json': '{ "name": "billing" }',
      'src/modules/billing/index.ts': 'export {};\n',
    });
    const run = await runCli(['check'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("lib: modules root 'lib' does not exist");
  });
});

describe('modulith new and extract on a fresh app', () => {
  it.each([
    ['NestJS 11', NEST_11_APP],
    ['NestJS 12', NEST_12_APP],
  ])('%s: new writes src/modules/NAME and records it, check passes, extract finds the module ready', async (_, app) => {
    const root = writeProject(app);
    const created = await runCli(['new', 'billing'], root);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("modulith new: module 'billing' in src/modules/billing (BillingModule, facade BillingFacade)");
    expect(created.stdout).toContain('  wrote package.json\n  wrote nest-cli.json\n');
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).modulith).toEqual({ roots: ['src/modules'] });

    const checked = await runCli(['check'], root);
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toMatch(/✔ no boundary violations \(\d+ files in 1 module checked/);
    expect(checked.code).toBe(0);

    const extract = await runCli(['extract', 'billing', '--no-write', '--format', 'json'], root);
    expect(JSON.parse(extract.stdout)).toMatchObject({ module: 'billing', ready: true, blockers: 0 });
    expect(extract.code).toBe(0);
  });
});

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/modulith.js');
const built = existsSync(join(REPO, 'dist/src/cli/main.js'));
if (!built) console.warn('skipping the end-to-end quick start: dist/ is missing (run `npm run build`)');
const e2e = built ? it : it.skip;

function run(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the README quick start, with bin/modulith.js', () => {
  e2e.each([
    ['NestJS 11 (CommonJS)', NEST_11_APP],
    ['NestJS 12 (ESM)', NEST_12_APP],
  ])('%s: init, check, new, check, extract all exit 0', (_, app) => {
    const root = writeProject(app);
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    symlinkSync(REPO, join(root, 'node_modules/nest-modulith'), 'dir');

    const init = run(root, ['init']);
    expect(init.stderr).toBe('');
    expect(init.stdout).toBe(
      [
        'modulith init: no modules yet; modules root src/modules/',
        '  wrote package.json',
        '  wrote nest-cli.json',
        '  wrote .dependency-cruiser.js',
        '  package.json: "modulith": { "roots": ["src/modules"] } (where modulith finds the modules)',
        '  nest-cli.json: compilerOptions.assets copies each module.json and module.api.md into dist/ on `nest build`',
        '  no modules yet: create the first one with `npx modulith new <name>` (it goes to src/modules/<name>)',
        '',
      ].join('\n'),
    );
    expect(init.code).toBe(0);

    const empty = run(root, ['check']);
    expect(empty).toMatchObject({ code: 0, stderr: HINT });

    const created = run(root, ['new', 'billing']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(readFileSync(join(root, 'src/modules/billing/module.json'), 'utf8')).toContain('"$schema": "../../../node_modules/nest-modulith/module.schema.json"');

    const checked = run(root, ['check', '--format', 'json']);
    expect(checked.stderr).toBe('');
    expect(JSON.parse(checked.stdout)).toEqual({ violations: [], known: 0, stale: [] });
    expect(checked.code).toBe(0);

    const extract = run(root, ['extract', 'billing', '--no-write']);
    expect(extract.stdout).toContain('✔ billing is ready to run in its own process');
    expect(extract.code).toBe(0);
  });
});
