// @modulith-covers cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifest, removeProjects, writeFile, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { main } from '../../src/cli/index.js';
import { runCli, type CliRun } from './support/run-cli.js';

// Every configuration error of every command exits 2 with the file and the fix on stderr, never a
// stack trace: hostile module.json files (a directory, symbolic links that dangle or loop, a
// named pipe, megabytes, UTF-16 or broken UTF-8), hostile package.json "modulith" values,
// tsconfig and nest-cli.json in odd shapes, module names outside the one rule, unreadable files,
// and an `events` DATABASE_URL that names nothing.

afterAll(removeProjects);

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/modulith.js');
const built = existsSync(join(REPO, 'dist/src/cli/main.js'));
const e2e = built ? it : it.skip;

/** Exit 2, the file named, the fix given, and not one line of a stack trace anywhere. */
function expectConfigError(run: CliRun, file: string, fix: string | RegExp): void {
  const output = `${run.stdout}${run.stderr}`;
  expect(output).not.toMatch(/^\s+at /m);
  expect(run.stderr).toContain(file);
  expect(run.stderr).toMatch(/fix: /);
  if (typeof fix === 'string') expect(run.stderr).toContain(fix);
  else expect(run.stderr).toMatch(fix);
  expect(run.code).toBe(2);
}

/** Runs bin/modulith.js as a separate process (a hang is cut after 30 s). */
function runBin(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; asOtherUser?: boolean } = {}): CliRun {
  const env = { ...process.env, NODE_OPTIONS: '', ...options.env };
  const [command, argv] = options.asOtherUser && process.getuid?.() === 0 ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const result = spawnSync(command as string, argv as string[], { cwd, encoding: 'utf8', env, timeout: 30_000 });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error ? String(result.error) : ''}${result.signal ? `killed by ${result.signal}` : ''}` };
}

/** Every command that reads the module model, with arguments that would otherwise work on referenceApp(). */
const MODEL_COMMANDS: string[][] = [
  ['check', '--no-cache'],
  ['baseline', '--no-cache'],
  ['init'],
  ['new', 'shop'],
  ['extract', 'orders', '--no-write', '--no-cache'],
  ['broker-config', 'orders'],
];

describe('module.json in a shape no module.json has: exit 2 naming it, for every command', () => {
  it.each(MODEL_COMMANDS)('a directory where module.json should be: modulith %s', async (...argv) => {
    const root = writeProject(referenceApp());
    unlinkSync(join(root, 'modules/billing/module.json'));
    mkdirSync(join(root, 'modules/billing/module.json'));
    const run = await runCli(argv, root);
    expectConfigError(run, 'modules/billing/module.json: is a directory, not a file', 'write a JSON file like { "name": "billing", "dependsOn": [] } in its place');
  });

  it('a dangling symbolic link is named as one, with its target, and not blamed on the modules depending on it', async () => {
    const root = writeProject(referenceApp());
    unlinkSync(join(root, 'modules/billing/module.json'));
    symlinkSync('../../shared/billing.json', join(root, 'modules/billing/module.json'));
    const run = await runCli(['check', '--no-cache'], root);
    expectConfigError(run, `modules/billing/module.json: is a broken symbolic link to '../../shared/billing.json' (${join(root, 'shared/billing.json')}), which does not exist`, 'point the link at an existing file');
    expect(run.stderr).not.toContain("unknown module 'billing'");
    expect(run.stderr).toContain('(1 problem)');
  });

  it('a symbolic link that loops', async () => {
    const root = writeProject(referenceApp());
    unlinkSync(join(root, 'modules/billing/module.json'));
    symlinkSync('module.json', join(root, 'modules/billing/module.json'));
    const run = await runCli(['check', '--no-cache'], root);
    expectConfigError(run, 'modules/billing/module.json: is a symbolic link that loops', 'replace modules/billing/module.json with the file itself');
    expect(run.stderr).not.toContain("unknown module 'billing'");
  });

  it('a module folder that is a dangling symbolic link is named when a module depends on it', async () => {
    const root = writeProject(referenceApp());
    rmSync(join(root, 'modules/billing'), { recursive: true });
    symlinkSync('../../vendor/billing', join(root, 'modules/billing'));
    const run = await runCli(['check', '--no-cache'], root);
    expectConfigError(run, "modules/billing: is a broken symbolic link to '../../vendor/billing'", "put the module's folder itself at modules/billing/");
    expect(run.stderr).not.toContain("unknown module 'billing'");
  });

  it('megabytes of module.json are refused before they are parsed', async () => {
    const root = writeProject(referenceApp({ 'modules/billing/module.json': `{ "name": "billing", "description": "${'x'.repeat(2 * 1024 * 1024)}" }` }));
    const run = await runCli(['check', '--no-cache'], root);
    expectConfigError(run, 'modules/billing/module.json: is 2 MiB, larger than the 1 MiB limit for this file', 'check that modules/billing/module.json is the file you mean');
  });

  e2e('a named pipe is never read (it would block forever)', () => {
    const root = writeProject(referenceApp());
    unlinkSync(join(root, 'modules/billing/module.json'));
    expect(spawnSync('mkfifo', [join(root, 'modules/billing/module.json')]).status).toBe(0);
    const run = runBin(root, ['check', '--no-cache']);
    expectConfigError(run, 'modules/billing/module.json: is not a regular file (a named pipe)', 'replace it with a JSON file like { "name": "billing", "dependsOn": [] }');
  });

  it.each([
    ['UTF-16', Buffer.from(`\uFEFF${manifest('billing')}`, 'utf16le'), 'is UTF-16 encoded', 'save it as UTF-8'],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{ "name": "billing",\n  "description": "caf'), Buffer.from([0xe9]), Buffer.from('" }')]), 'is not valid UTF-8 (byte 42 on line 2', 'save it as UTF-8'],
  ])('%s', async (_what, bytes, message, fix) => {
    const root = writeProject(referenceApp());
    writeFileSync(join(root, 'modules/billing/module.json'), bytes);
    const run = await runCli(['check', '--no-cache'], root);
    expectConfigError(run, `modules/billing/module.json: ${message}`, fix);
    expect(run.stderr).not.toContain("unknown module 'billing'");
  });

  it('a UTF-8 byte order mark in module.json is tolerated, as TypeScript and npm do', async () => {
    const root = writeProject(referenceApp({ 'modules/billing/module.json': `\uFEFF${manifest('billing')}` }));
    const run = await runCli(['check', '--no-cache', '--no-leaks'], root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('package.json "modulith" values: exit 2 naming package.json and the fix, for every command', () => {
  const FIX = 'set "modulith": { "roots": ["<folder holding your modules>"] } or remove the key';
  const ROOTS_FIX = 'use a folder inside the project, relative to its root';
  const cases: Array<[string, unknown, string, string]> = [
    ['null', null, '"modulith" is null; it must be an object', FIX],
    ['a number', 5, '"modulith" is a number (5)', FIX],
    ['an array', ['modules'], '"modulith" is an array', FIX],
    ['roots a string', { roots: 'modules' }, '"modulith.roots" is a string ("modules")', '(folders relative to the project root)'],
    ['roots empty', { roots: [] }, '"modulith.roots" is empty', '(folders relative to the project root)'],
    ['a root not a string', { roots: ['modules', 7] }, '"modulith.roots"[1] is a number (7); it must be a folder path', ROOTS_FIX],
    ['a root escaping the project', { roots: ['../..'] }, `"modulith.roots"[0] '../..' is outside the project`, ROOTS_FIX],
    ['a root escaping through a folder', { roots: ['modules/../../x'] }, `"modulith.roots"[0] 'modules/../../x' is outside the project`, ROOTS_FIX],
    ['an absolute root', { roots: ['/etc'] }, `"modulith.roots"[0] '/etc' is an absolute path`, ROOTS_FIX],
    ['a root with a NUL', { roots: ['modules\u0000'] }, '"modulith.roots"[0] "modules\\u0000" contains control characters', ROOTS_FIX],
  ];
  it.each(cases)('"modulith" %s', async (_what, value, message, fix) => {
    const root = writeProject(referenceApp({ 'package.json': JSON.stringify({ name: 'app', modulith: value }) }));
    for (const argv of [['check', '--no-cache'], ['init'], ['new', 'shop']]) {
      const run = await runCli(argv, root);
      expectConfigError(run, `package.json: ${message}`, fix);
    }
  });

  it.each([
    ['null', 'null', 'is null; it must be a JSON object'],
    ['an array', '[]', 'is an array; it must be a JSON object'],
  ])('a package.json that is %s', async (_what, text, message) => {
    const root = writeProject(referenceApp({ 'package.json': text }));
    for (const argv of [['check', '--no-cache'], ['init'], ['new', 'shop'], ['extract', 'orders', '--no-write']]) {
      expectConfigError(await runCli(argv, root), `package.json: ${message}`, 'write a package.json object');
    }
  });

  it('a package.json that is a directory, or starts with a byte order mark other tools choke on', async () => {
    const dir = writeProject(referenceApp());
    unlinkSync(join(dir, 'package.json'));
    mkdirSync(join(dir, 'package.json'));
    expectConfigError(await runCli(['check', '--no-cache'], dir), 'package.json: is a directory, not a file', "write the project's package.json in its place");
    const bom = writeProject(referenceApp({ 'package.json': `\uFEFF${JSON.stringify({ name: 'app' })}` }));
    expectConfigError(await runCli(['check', '--no-cache'], bom), 'package.json: starts with a byte order mark', 'save it as UTF-8 without a byte order mark');
  });

  it('a modules root that is a file, or a dangling symbolic link', async () => {
    const file = writeProject(referenceApp({ 'package.json': JSON.stringify({ modulith: { roots: ['modules', 'README.md'] } }), 'README.md': '# app\n' }));
    expectConfigError(await runCli(['check', '--no-cache'], file), "README.md: modules root 'README.md' is a file, not a folder", 'change "modulith.roots" in package.json');
    const link = writeProject(referenceApp({ 'package.json': JSON.stringify({ modulith: { roots: ['modules', 'libs'] } }) }));
    symlinkSync('../elsewhere/libs', join(link, 'libs'));
    expectConfigError(await runCli(['check', '--no-cache'], link), "libs: modules root 'libs' is a broken symbolic link to '../elsewhere/libs'", 'point the link at the folder holding your modules');
  });

  it('init --modules outside the project adopts nothing there and writes nothing', async () => {
    const root = writeProject(referenceApp());
    for (const dir of ['../..', '/tmp']) {
      const run = await runCli(['init', '--modules', dir], root);
      expectConfigError(run, `--modules ${dir}: the modules root '${dir}'`, 'use a folder inside the project');
    }
  });
});

describe('tsconfig.json and nest-cli.json in odd shapes: exit 2 naming them', () => {
  it.each([
    ['a directory', (root: string) => (unlinkSync(join(root, 'tsconfig.json')), mkdirSync(join(root, 'tsconfig.json'))), 'tsconfig.json: is a directory, not a file', 'in its place'],
    ['a dangling symbolic link', (root: string) => (unlinkSync(join(root, 'tsconfig.json')), symlinkSync('tsconfig.base.json', join(root, 'tsconfig.json'))), "tsconfig.json: is a broken symbolic link to 'tsconfig.base.json'", 'point the link at an existing file'],
    ['null', (root: string) => writeFile(root, 'tsconfig.json', 'null'), 'tsconfig.json: is null; a tsconfig must be a JSON object', 'write a tsconfig object'],
    ['"extends": 5', (root: string) => writeFile(root, 'tsconfig.json', '{ "extends": 5 }'), 'tsconfig.json: "extends" must be a path or an array of paths (it is a number (5))', 'correct "extends"'],
    ['"outDir": 5', (root: string) => writeFile(root, 'tsconfig.json', '{ "compilerOptions": { "outDir": 5 } }'), 'tsconfig.json: "compilerOptions.outDir" must be a path', 'correct "compilerOptions.outDir"'],
    ['"include": "src"', (root: string) => writeFile(root, 'tsconfig.json', '{ "include": "src" }'), 'tsconfig.json: "include" must be an array of path patterns', 'correct "include"'],
  ])('tsconfig.json that is %s: check', async (_what, spoil, message, fix) => {
    const root = writeProject(referenceApp());
    spoil(root);
    expectConfigError(await runCli(['check', '--no-cache'], root), message, fix);
  });

  it.each([
    ['a directory', (root: string) => (unlinkSync(join(root, 'tsconfig.json')), mkdirSync(join(root, 'tsconfig.json'))), 'tsconfig.json: is a directory, not a file'],
    ['a dangling symbolic link', (root: string) => (unlinkSync(join(root, 'tsconfig.json')), symlinkSync('gone.json', join(root, 'tsconfig.json'))), "tsconfig.json: is a broken symbolic link to 'gone.json'"],
  ])('tsconfig.json that is %s: new (never silently the default options)', async (_what, spoil, message) => {
    const root = writeProject(referenceApp());
    spoil(root);
    expectConfigError(await runCli(['new', 'shop'], root), message, 'tsconfig.json');
    expect(existsSync(join(root, 'modules/shop'))).toBe(false);
  });

  it('nest-cli.json that is a directory, or whose sourceRoot leaves the project', async () => {
    const dir = writeProject({ 'package.json': JSON.stringify({ name: 'app' }) });
    mkdirSync(join(dir, 'nest-cli.json'));
    expectConfigError(await runCli(['new', 'shop'], dir), 'nest-cli.json: is a directory, not a file', 'write the Nest CLI configuration (a JSON file) in its place');
    const outside = writeProject({ 'package.json': JSON.stringify({ name: 'app' }), 'nest-cli.json': JSON.stringify({ sourceRoot: '../../elsewhere' }) });
    for (const argv of [['new', 'shop'], ['init']]) {
      expectConfigError(await runCli(argv, outside), `nest-cli.json: "sourceRoot" '../../elsewhere' is outside the project`, 'use a folder inside the project');
    }
    expect(existsSync(join(dirname(dirname(outside)), 'elsewhere'))).toBe(false);
  });

  it('--baseline naming a device or an absolute path outside the project is read from there', async () => {
    const root = writeProject(referenceApp());
    expectConfigError(await runCli(['check', '--no-cache', '--baseline', '/dev/null'], root), '/dev/null: is not a regular file (a character device)', 'replace it with the baseline');
    const elsewhere = join(writeProject({}), 'baseline.json');
    writeFileSync(elsewhere, '{ "version": 1, "violations": [');
    expectConfigError(await runCli(['check', '--no-cache', '--baseline', elsewhere], root), `${elsewhere}: is not valid JSON`, 'run `modulith baseline` to write it again');
  });

  it('a baseline that is a directory or a dangling symbolic link', async () => {
    const dir = writeProject(referenceApp());
    mkdirSync(join(dir, 'modulith-baseline.json'));
    expectConfigError(await runCli(['check', '--no-cache'], dir), 'modulith-baseline.json: is a directory, not a file', 'in its place');
    const link = writeProject(referenceApp());
    symlinkSync('ci/baseline.json', join(link, 'modulith-baseline.json'));
    expectConfigError(await runCli(['check', '--no-cache'], link), "modulith-baseline.json: is a broken symbolic link to 'ci/baseline.json'", 'point the link at an existing file');
  });
});

describe('module names follow one rule everywhere', () => {
  it('a module named Bad (folder and name) fails check, naming its module.json and the kebab-case name', async () => {
    const root = writeProject(referenceApp({ 'modules/Bad/module.json': manifest('Bad'), 'modules/Bad/index.ts': 'export const bad = 1;\n' }));
    const run = await runCli(['check', '--no-cache'], root);
    expectConfigError(run, "modules/Bad/module.json: 'Bad' is not a valid module name (lowercase letters and digits", `fix: rename the folder to 'bad' and set "name": "bad"`);
  });

  it.each([
    ['OrderHistory', 'OrderHistory', `rename the folder to 'order-history' and set "name": "order-history"`],
    ['order_history', 'order_history', `rename the folder to 'order-history' and set "name": "order-history"`],
    ['billing2', 'Billing2', 'set "name": "billing2"'],
    ['Shipping', 'shipping', "rename the folder to 'shipping'"],
  ])('folder %s, "name": %s', async (folder, name, fix) => {
    const root = writeProject(referenceApp({ [`modules/${folder}/module.json`]: manifest(name), [`modules/${folder}/index.ts`]: 'export {};\n' }));
    expectConfigError(await runCli(['check', '--no-cache'], root), `modules/${folder}/module.json: `, fix);
  });

  it('new refuses the same names with the same words', async () => {
    const root = writeProject(referenceApp());
    const run = await runCli(['new', 'Bad'], root);
    expectConfigError(run, "'Bad' is not a valid module name (lowercase letters and digits, words separated by '-', starting with a letter, at most 64 characters)", "use 'bad'");
    const long = await runCli(['new', 'a'.repeat(300)], root);
    expectConfigError(long, 'is not a valid module name', `use '${'a'.repeat(64)}'`);
  });
});

describe('modulith events never creates a database', () => {
  async function events(argv: string[], databaseUrl: string, cwd: string): Promise<CliRun> {
    const before = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl;
    try {
      return await runCli(['events', ...argv], cwd);
    } finally {
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
    }
  }

  it.each([['list'], ['show', 'x'], ['resubmit', '--failed'], ['purge', '--older-than', '1d']])('a sqlite file that does not exist is an error naming it; no folder, no file is created (events %s)', async (...argv) => {
    const root = writeProject({});
    const file = join(root, 'var/data/app.sqlite');
    const run = await events(argv, `sqlite:${file}`, root);
    expect(run.stderr).toContain(`names the SQLite file ${file}, which does not exist`);
    expect(run.stderr).toContain("fix: set DATABASE_URL to the app's database");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.code).toBe(2);
    expect(existsSync(join(root, 'var'))).toBe(false);
  });

  it('a relative sqlite path is resolved against the project, and a directory is not a database', async () => {
    const root = writeProject({});
    const relative = await events(['list'], 'sqlite:data/modulith.sqlite', root);
    expect(relative.stderr).toContain(`names the SQLite file ${join(root, 'data/modulith.sqlite')}, which does not exist`);
    expect(relative.code).toBe(2);
    expect(existsSync(join(root, 'data'))).toBe(false);
    const dir = await events(['list'], `sqlite:${root}`, root);
    expect(dir.stderr).toContain(`names the SQLite file ${root}, which is a directory`);
    expect(dir.code).toBe(2);
  });

  it.each([
    ['an unsupported scheme', 'mysql://admin:hunter2-secret@db.internal/app', 'DATABASE_URL must start with sqlite: or postgres://'],
    ['a postgres server that refuses', 'postgres://admin:hunter2@secret@127.0.0.1:1/app', 'cannot open DATABASE_URL postgres://admin:***@127.0.0.1:1/app'],
  ])('%s: a clean message without the password', async (_what, url, message) => {
    const run = await events(['list'], url, writeProject({}));
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.code).toBe(2);
  });
});

describe('unreadable files (EACCES)', () => {
  // chmod does not stop root: as root the command runs as nobody (setpriv); skipped where neither works.
  const root = process.getuid?.() === 0;
  // nobody must also be able to run this checkout's CLI (a clone under a 0700 folder is not).
  const canDrop =
    root && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)}, 4)`]).status === 0;
  const eaccess = built && (!root || canDrop) ? it : it.skip;
  if (built && root && !canDrop) console.warn(`skipping the EACCES tests: running as root, and the user nobody cannot run ${BIN} (setpriv missing, or a folder above it is private)`);

  function unreadableProject(path: string): string {
    const dir = writeProject(referenceApp());
    chmodSync(dir, 0o755);
    spawnSync('chmod', ['-R', 'a+rX', dir]);
    chmodSync(join(dir, path), 0);
    return dir;
  }

  eaccess('a module.json without read permission', () => {
    const run = runBin(unreadableProject('modules/billing/module.json'), ['check', '--no-cache'], { asOtherUser: true });
    expectConfigError(run, 'modules/billing/module.json: cannot be read: permission denied', 'give this user read access to modules/billing/module.json');
  });

  eaccess('a package.json and a tsconfig.json without read permission', () => {
    expectConfigError(runBin(unreadableProject('package.json'), ['check', '--no-cache'], { asOtherUser: true }), 'package.json: cannot be read: permission denied', 'chmod a+r package.json');
    expectConfigError(runBin(unreadableProject('tsconfig.json'), ['new', 'shop'], { asOtherUser: true }), 'tsconfig.json: cannot be read: permission denied', 'chmod a+r tsconfig.json');
  });

  eaccess('a source file without read permission is named with the fix, not a stack trace', () => {
    const run = runBin(unreadableProject('modules/orders/place-order.ts'), ['check', '--no-cache'], { asOtherUser: true });
    expectConfigError(run, 'modulith check: modules/orders/place-order.ts: permission denied', 'give this user access to modules/orders/place-order.ts');
  });
});

describe('an unexpected internal error', () => {
  async function failing(env: Record<string, string | undefined>): Promise<CliRun> {
    const root = writeProject(referenceApp());
    const before = process.env.MODULITH_DEBUG;
    if (env.MODULITH_DEBUG === undefined) delete process.env.MODULITH_DEBUG;
    else process.env.MODULITH_DEBUG = env.MODULITH_DEBUG;
    let stderr = '';
    try {
      // A bug stands in for any other: the report cannot be printed.
      const code = await main(['check', '--no-cache', '--no-leaks'], {
        cwd: root,
        stdout: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'violations')");
        },
        stderr: (text) => {
          stderr += text;
        },
        stderrIsTTY: false,
      });
      return { code, stdout: '', stderr };
    } finally {
      if (before === undefined) delete process.env.MODULITH_DEBUG;
      else process.env.MODULITH_DEBUG = before;
    }
  }

  it('prints one line and asks for a report, exit 2, no stack trace', async () => {
    const run = await failing({});
    expect(run.stderr).toBe(
      "modulith check: internal error: TypeError: Cannot read properties of undefined (reading 'violations')\n" +
        '  This is a bug in nest-modulith, not in your project: please report it with the command you ran and this message (run again with MODULITH_DEBUG=1 to include the stack trace).\n',
    );
    expect(run.code).toBe(2);
  });

  it('MODULITH_DEBUG=1 adds the stack trace', async () => {
    const run = await failing({ MODULITH_DEBUG: '1' });
    expect(run.stderr).toMatch(/^modulith check: internal error: TypeError: .*\n {2}This is a bug in nest-modulith.*please report it/);
    expect(run.stderr).toMatch(/^\s+at /m);
    expect(run.code).toBe(2);
  });
});
