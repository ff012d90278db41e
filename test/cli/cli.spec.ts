// @modulith-covers cli
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifest, removeProjects, writeFile, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { createProgress } from '../../src/cli/index.js';
import { runCli } from './support/run-cli.js';

afterAll(removeProjects);

const DEEP = "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n";

describe('usage', () => {
  it.each([[[]], [['--help']], [['-h']], [['check', '--help']]])('modulith %j prints usage listing every command, exit 0', async (argv) => {
    const run = await runCli(argv, process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: modulith <command> \[options\]/);
    for (const command of ['check [--format pretty|json|github|sarif] [--baseline FILE]', 'baseline', 'init [--modules DIR]', 'new NAME [--depends-on a,b]', 'events [list|show|resubmit|purge]']) {
      expect(run.stdout).toContain(`  ${command}`);
    }
    expect(run.stderr).toBe('');
  });

  it('modulith events --help prints the outbox operations', async () => {
    const run = await runCli(['events', '--help'], process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^modulith events — operate the outbox/);
    expect(run.stdout).toContain('modulith events resubmit ID... | --failed');
  });

  it('an unknown command prints usage on stderr, exit 2', async () => {
    const run = await runCli(['deploy'], process.cwd());
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^modulith: unknown command 'deploy'\n\nUsage: modulith/);
  });

  it.each([
    [['check', '--format', 'xml'], "modulith check: unknown format 'xml' (use pretty, json, github, sarif)"],
    [['check', '--frobnicate'], "modulith check: Unknown option '--frobnicate'"],
    [['check', 'extra'], "modulith check: unexpected argument 'extra'"],
    [['new'], 'modulith new: missing the module NAME'],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    const run = await runCli(argv, writeProject(referenceApp()));
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(message);
  });
});

describe('modulith check', () => {
  it('exit 0 on a clean project (warnings allowed)', async () => {
    const root = writeProject(referenceApp({ 'modules/catalog/module.json': manifest('catalog', ['billing']) }));
    const run = await runCli(['check', '--no-contracts'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('⚠ modules/catalog/module.json:1  unused-dependency (warning)');
    expect(run.stdout).toMatch(/✔ no boundary violations, 1 warning \(\d+ files in 4 modules checked in \d+ ms\)\n$/);
  });

  it('exit 1 with violations, printed grouped by module with file:line, rule, why and fix', async () => {
    const root = writeProject(referenceApp({ 'modules/orders/deep.ts': DEEP }));
    const run = await runCli(['check', '--no-contracts'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      [
        'orders',
        '  ✖ modules/orders/deep.ts:1  deep-import',
        "    orders reaches into billing's internals; import from '../billing/index.js' instead",
        '    why: internals change without notice; only the public API is a contract between modules',
        "    fix: export what orders needs from modules/billing/index.ts and import '../billing/index.js'",
      ].join('\n'),
    );
    expect(run.stdout).toMatch(/✖ 1 error, 0 warnings in 1 module \(/);
  });

  it('exit 2 on a bad configuration, naming the file and the problem on stderr', async () => {
    const root = writeProject(referenceApp({ 'modules/catalog/module.json': '{ "name": "catalog", ' }));
    const run = await runCli(['check', '--no-contracts'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/modules\/catalog\/module\.json: is not valid JSON/);
  });

  it('exit 2 when the tsconfig is broken, naming it', async () => {
    const run = await runCli(['check'], writeProject(referenceApp({ 'tsconfig.json': '{' })));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('tsconfig.json: is not valid JSON');
  });

  it('prints nothing on stderr for a fast run, even on a terminal', async () => {
    const root = writeProject(referenceApp());
    expect((await runCli(['check', '--no-leaks'], root, { tty: true })).stderr).toBe('');
  });

  it('shows progress on a terminal only once a run takes longer than a second, and never on a pipe', () => {
    jest.useFakeTimers();
    try {
      let tty = '';
      let pipe = '';
      const onTerminal = createProgress((t) => (tty += t), true, 'modulith check');
      const onPipe = createProgress((t) => (pipe += t), false, 'modulith check');
      for (const p of [onTerminal, onPipe]) p.update('extracting dependencies of 2000 files');
      jest.advanceTimersByTime(999);
      expect(tty).toBe('');
      jest.advanceTimersByTime(2);
      expect(tty).toContain('modulith check: extracting dependencies of 2000 files');
      onTerminal.update('analyzing');
      expect(tty).toContain('modulith check: analyzing');
      for (const p of [onTerminal, onPipe]) p.done();
      expect(tty.endsWith('\r\x1b[K')).toBe(true);
      expect(pipe).toBe('');
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('modulith baseline', () => {
  it('records violations so check exits 0, then fails on new ones and on stale entries', async () => {
    const root = writeProject(referenceApp({ 'modules/orders/deep.ts': DEEP }));
    const recorded = await runCli(['baseline'], root);
    expect(recorded).toMatchObject({ code: 0, stdout: 'modulith: recorded 1 violation in modulith-baseline.json\n' });
    expect(JSON.parse(readFileSync(join(root, 'modulith-baseline.json'), 'utf8')).violations).toHaveLength(1);

    const clean = await runCli(['check', '--format', 'json', '--no-contracts'], root);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ violations: [], known: 1, stale: [] });

    writeFile(root, 'modules/orders/deep.ts', 'export const d = 1;\n');
    const stale = await runCli(['check', '--format', 'json', '--no-contracts'], root);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toEqual({
      violations: [],
      known: 0,
      stale: [{ rule: 'deep-import', from: 'modules/orders/deep.ts', to: 'modules/billing/internal/invoice.ts' }],
    });

    expect((await runCli(['baseline'], root)).stdout).toBe('modulith: recorded 0 violations in modulith-baseline.json\n');
    expect((await runCli(['check'], root)).code).toBe(0);
  });

  it('--baseline FILE reads another file; --output writes one', async () => {
    const root = writeProject(referenceApp({ 'modules/orders/deep.ts': DEEP }));
    expect((await runCli(['baseline', '--output', 'known.json'], root)).code).toBe(0);
    expect(existsSync(join(root, 'known.json'))).toBe(true);
    expect((await runCli(['check'], root)).code).toBe(1);
    expect((await runCli(['check', '--baseline', 'known.json'], root)).code).toBe(0);
    const missing = await runCli(['check', '--baseline', 'missing.json'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.json: does not exist');
  });
});

describe('modulith new', () => {
  it('scaffolds a module that passes check', async () => {
    const root = writeProject(referenceApp());
    const created = await runCli(['new', 'payments', '--depends-on', 'billing'], root);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("modulith new: module 'payments' in modules/payments");
    const checked = await runCli(['check', '--format', 'json', '--no-contracts'], root);
    expect(JSON.parse(checked.stdout).violations.filter((v: { severity: string }) => v.severity === 'error')).toEqual([]);
    expect(checked.code).toBe(0);
  });
});
