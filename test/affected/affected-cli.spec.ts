// @modulith-covers affected, cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeProjects, writeFile, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { runCli } from '../cli/support/run-cli.js';

afterAll(removeProjects);

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The reference app (billing <- orders, catalog, kernel shared) plus shipping depending on orders, contracts written, committed and tagged `base`. */
async function repo(): Promise<string> {
  const root = writeProject(
    referenceApp({
      '.gitignore': 'node_modules/\n.modulith-cache/\n',
      'modules/shipping/module.json': JSON.stringify({ name: 'shipping', dependsOn: ['orders'] }),
      'modules/shipping/index.ts': "import { placeOrder } from '../orders/index.js';\nexport const ship = (): number => placeOrder();\n",
      'README.md': '# app\n',
    }),
  );
  expect((await runCli(['contracts'], root)).code).toBe(0);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  git(root, 'tag', 'base');
  return root;
}

interface AffectedJson {
  changed: string[];
  affected: string[];
  reasons: Record<string, string>;
  files: string[];
  shell: { code: string[]; docs: string[]; tests: string[] };
  contracts: Record<string, string>;
  base: string | null;
}

const affectedJson = async (root: string, ...args: string[]) => {
  const run = await runCli(['affected', '--format', 'json', ...args], root);
  return { ...run, json: run.code === 0 ? (JSON.parse(run.stdout) as AffectedJson) : undefined };
};

describe('modulith affected', () => {
  it('internals only: the module itself; its contract changed: its dependents transitively; pretty says why', async () => {
    const root = await repo();
    writeFile(root, 'modules/billing/internal/tax.ts', 'export const tax = 0.2;\n');
    const internal = await affectedJson(root);
    expect(internal.code).toBe(0);
    expect(internal.json).toMatchObject({ changed: ['billing'], affected: ['billing'], reasons: { billing: 'changed (internals only)' }, files: ['modules/billing/internal/tax.ts'] });

    writeFile(root, 'modules/billing/index.ts', "export { charge } from './charge.js';\nexport type { Invoice } from './internal/invoice.js';\nexport const refund = (n: number): number => -n;\n");
    const contract = await affectedJson(root);
    expect(contract.json!.affected).toEqual(['billing', 'orders', 'shipping']);
    expect(contract.json!.reasons).toEqual({
      billing: 'changed; its contract changed',
      orders: 'depends on billing, whose contract changed',
      shipping: 'depends on orders, which is affected by the contract change of billing',
    });

    const pretty = await runCli(['affected'], root);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain('changed in the working tree: 2 files');
    expect(pretty.stdout).toMatch(/orders +depends on billing, whose contract changed/);
  });

  it('a breaking change recorded in module.api.md and committed: --since sees it', async () => {
    const root = await repo();
    git(root, 'checkout', '-q', '-b', 'feature');
    writeFile(root, 'modules/billing/index.ts', "export type { Invoice } from './internal/invoice.js';\n");
    expect((await runCli(['contracts'], root)).code).toBe(0);
    git(root, 'commit', '-q', '-am', 'drop charge');
    const { code, json } = await affectedJson(root, '--since', 'base');
    expect(code).toBe(0);
    expect(json!.reasons.billing).toBe('changed; its contract changed (breaking)');
    expect(json!.affected).toEqual(['billing', 'orders', 'shipping']);
    expect(json!.base).toMatch(/^[0-9a-f]{40}$/);
  });

  it('the shared kernel reaches every module; app-shell code every module; docs nothing', async () => {
    const root = await repo();
    const kernel = await affectedJson(root, '--files', 'modules/kernel/money.ts');
    expect(kernel.json!.affected).toEqual(['billing', 'catalog', 'kernel', 'orders', 'shipping']);
    expect(kernel.json!.reasons.catalog).toBe('uses the shared module kernel, which changed');

    writeFile(root, 'src/main.ts', "import { placeOrder } from '../modules/orders/index.js';\nplaceOrder();\n// changed\n");
    const shell = await affectedJson(root);
    expect(shell.json!.changed).toEqual([]);
    expect(shell.json!.affected).toEqual(['billing', 'catalog', 'kernel', 'orders', 'shipping']);
    expect(shell.json!.reasons.catalog).toBe('the app shell changed (src/main.ts)');

    git(root, 'checkout', '-q', '--', 'src/main.ts');
    writeFile(root, 'README.md', '# app\n\nmore docs\n');
    writeFile(root, 'docs/diagram.svg', '<svg/>');
    const docs = await affectedJson(root);
    expect(docs.json).toMatchObject({ changed: [], affected: [], reasons: {} });
    expect(docs.json!.shell.docs).toEqual(['README.md', 'docs/diagram.svg']);
    expect((await runCli(['affected'], root)).stdout).toContain('no module affected');
  });

  it('renamed and deleted files count for the module of their paths', async () => {
    const root = await repo();
    renameSync(join(root, 'modules/billing/charge.ts'), join(root, 'modules/catalog/charge.ts'));
    rmSync(join(root, 'modules/kernel/money.ts'));
    git(root, 'add', '-A'); // a staged rename
    const { json } = await affectedJson(root, '--all-dependents');
    expect(json!.files).toEqual(['modules/billing/charge.ts', 'modules/catalog/charge.ts', 'modules/kernel/money.ts']);
    expect(json!.changed).toEqual(['billing', 'catalog', 'kernel']);
  });

  it('--all-dependents: an internal change reaches the dependents', async () => {
    const root = await repo();
    const { json } = await affectedJson(root, '--files', 'modules/billing/internal/invoice.ts', '--all-dependents');
    expect(json!.affected).toEqual(['billing', 'orders', 'shipping']);
    expect(json!.reasons.orders).toBe('depends on billing, which changed');
  });

  it('hostile or bad --since and --files, and no git: exit 2 with a clear message, git never sees them', async () => {
    const root = await repo();
    for (const [args, message] of [
      [['--since=--output=/tmp/x'], /not a git revision/],
      [['--since', 'main\nrm -rf'], /not a git revision/],
      [['--since', 'no-such-branch'], /unknown git revision/],
      [['--files', '../../etc/passwd'], /'\.\.' may not leave/],
      [['--files', '/etc/passwd'], /outside the project/],
      [['--files', 'a.ts', '--since', 'base'], /do not go together/],
    ] as const) {
      const run = await runCli(['affected', ...args], root);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    const outside = writeProject(referenceApp());
    const run = await runCli(['affected'], outside);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not inside a git work tree');
    // --files needs no git
    expect((await affectedJson(outside, '--files', 'modules/catalog/index.ts')).json!.affected).toEqual(['catalog']);
    expect((await runCli(['affected', '--format', 'sarif'], root)).code).toBe(2);
  });
});
