// @modulith-covers cli
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifest, removeProjects, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';

afterAll(removeProjects);

// `modulith check --watch` as a user runs it: bin/modulith.js in a child process, saves made to
// the project, the output read line by line, and Ctrl-C (SIGINT) or SIGTERM to end it.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/modulith.js');
const built = existsSync(join(REPO, 'dist/src/cli/main.js'));
if (!built) console.warn('skipping the `modulith check --watch` tests: dist/ is missing (run `npm run build`)');
const e2e = built ? it : it.skip;

interface Watcher {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first output line (stdout) after the call that matches. */
  line: (match: (line: string) => boolean, what: string) => Promise<string>;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function start(root: string, args: string[]): Watcher {
  const child = spawn(process.execPath, [BIN, 'check', '--watch', ...args], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
  children.push(child);
  let out = '';
  let err = '';
  let consumed = 0;
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  const scan = (): void => {
    for (;;) {
      const end = out.indexOf('\n', consumed);
      if (end < 0) return;
      const line = out.slice(consumed, end);
      consumed = end + 1;
      const waiter = waiters.find((w) => w.match(line));
      if (waiter) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    scan();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    line: (match, what) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line for ${what}; stdout:\n${out}\nstderr:\n${err}`)), 20_000);
        waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      }),
    stdout: () => out,
    stderr: () => err,
    exit,
  };
}

const event = (name: string, test: (e: Record<string, any>) => boolean = () => true) => (line: string): boolean => {
  try {
    const parsed = JSON.parse(line) as Record<string, any>;
    return parsed.event === name && test(parsed);
  } catch {
    return false;
  }
};

function app(extra: Record<string, string> = {}): string {
  return writeProject(referenceApp({ 'node_modules/.keep': '', ...extra }));
}

describe('modulith check --watch', () => {
  e2e('--format json: one event per re-check with the new and fixed violations; Ctrl-C exits 0', async () => {
    const root = app();
    const watch = start(root, ['--format', 'json']);
    const first = JSON.parse(await watch.line(event('check'), 'the first check'));
    expect(first).toMatchObject({ event: 'check', fixed: [], errors: 0 });

    const deep = watch.line(event('check', (e) => e.new.length > 0), 'the deep import');
    writeFileSync(join(root, 'modules/catalog/index.ts'), "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const catalog = InvoiceRepository;\n");
    const added = JSON.parse(await deep);
    expect(added.new.map((v: { rule: string }) => v.rule)).toEqual(['deep-import']);
    expect(added).toMatchObject({ changed: ['modules/catalog/index.ts'], errors: 1 });
    expect(added.durationMs).toBeLessThan(5000);

    const fix = watch.line(event('check', (e) => e.fixed.length > 0), 'the fix');
    writeFileSync(join(root, 'modules/catalog/index.ts'), 'export const catalog = 1;\n');
    expect(JSON.parse(await fix)).toMatchObject({ new: [], errors: 0 });

    // A broken module.json is an error event; watching goes on.
    const error = watch.line(event('error'), 'the broken module.json');
    writeFileSync(join(root, 'modules/catalog/module.json'), '{ "name": ');
    expect(JSON.parse(await error).message).toContain('modules/catalog/module.json');
    const back = watch.line(event('check'), 'the repaired module.json');
    writeFileSync(join(root, 'modules/catalog/module.json'), manifest('catalog'));
    expect(JSON.parse(await back)).toMatchObject({ changed: ['modules/catalog/module.json'] });

    watch.child.kill('SIGINT');
    expect(await watch.exit).toEqual({ code: 0, signal: null });
    for (const line of watch.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  }, 60_000);

  e2e('pretty: the report once, then one block per save; SIGTERM exits 0', async () => {
    const root = app();
    // Without module contracts: the fixture has no module.api.md, whose warnings would join the summary line.
    const watch = start(root, ['--no-contracts']);
    await watch.line((l) => l.startsWith('watching '), 'the first report');
    expect(watch.stdout()).toContain('✔ no boundary violations');
    const block = watch.line((l) => /re-checked in \d+ ms/.test(l), 'the re-check');
    appendFileSync(join(root, 'modules/orders/place-order.ts'), "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const r = InvoiceRepository;\n");
    expect(await block).toMatch(/1 new, 0 fixed: ✖ 1 error \(re-checked in \d+ ms\)/);
    expect(watch.stdout()).toMatch(/\[\d\d:\d\d:\d\d\] modules\/orders\/place-order.ts\n {2}\+ modules\/orders\/place-order.ts:3 {2}deep-import: orders reaches into billing's internals/);
    watch.child.kill('SIGTERM');
    expect(await watch.exit).toEqual({ code: 0, signal: null });
    expect(watch.stderr()).toContain('stopped');
  }, 60_000);

  e2e('a changed .dependency-cruiser.js is read by a new process; Ctrl-C still exits 0', async () => {
    const root = app({ '.dependency-cruiser.cjs': 'module.exports = { forbidden: [], options: {} };\n' });
    const watch = start(root, ['--format', 'json']);
    await watch.line(event('check'), 'the first check');
    const restart = watch.line(event('restart'), 'the restart');
    // The user adds a rule of their own: only a new process can import the changed file.
    writeFileSync(
      join(root, '.dependency-cruiser.cjs'),
      "module.exports = { forbidden: [{ name: 'no-kernel-in-shell', severity: 'error', from: { path: '^src/' }, to: { path: '^modules/kernel/' } }], options: {} };\n",
    );
    expect(JSON.parse(await restart)).toEqual({ event: 'restart', reason: '.dependency-cruiser.cjs changed' });
    const again = JSON.parse(await watch.line(event('check'), 'the check of the new process'));
    expect(again.fixed).toEqual([]);
    const own = watch.line(event('check', (e) => e.new.some((v: { rule: string }) => v.rule === 'no-kernel-in-shell')), "the user's rule");
    appendFileSync(join(root, 'src/main.ts'), "import { money } from '../modules/kernel/index.js';\nmoney(1);\n");
    await own;
    watch.child.kill('SIGINT');
    expect(await watch.exit).toEqual({ code: 0, signal: null });
  }, 60_000);

  e2e('a module.json broken from the start, under a .dependency-cruiser.js that reads it: the error, then a new process once it is fixed', async () => {
    const root = app({
      '.dependency-cruiser.cjs': "module.exports = require('nest-modulith/depcruise').modulithRules();\n",
      'modules/catalog/module.json': '{ "name": "catalog", ',
    });
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    symlinkSync(REPO, join(root, 'node_modules/nest-modulith'), 'dir');
    const watch = start(root, ['--format', 'json']);
    expect(JSON.parse(await watch.line(event('error'), 'the broken module.json')).message).toContain('modules/catalog/module.json');
    const restart = watch.line(event('restart'), 'the restart');
    writeFileSync(join(root, 'modules/catalog/module.json'), manifest('catalog'));
    expect(JSON.parse(await restart)).toEqual({ event: 'restart', reason: 'modules/catalog/module.json changed' });
    expect(JSON.parse(await watch.line(event('check'), 'the check of the new process'))).toMatchObject({ errors: 0 });
    watch.child.kill('SIGINT');
    expect(await watch.exit).toEqual({ code: 0, signal: null });
  }, 60_000);

  e2e('--watch prints pretty or json only', () => {
    const root = app();
    const result = spawnSync(process.execPath, [BIN, 'check', '--watch', '--format', 'sarif'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--watch prints pretty or json');
  });
});
