// @modulith-covers agents
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildContext, contextForFile, renderContext } from '../../src/agents/index.js';
import { runCli } from '../cli/support/run-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('modulith context (this repository)', () => {
  it("gives media billing's facade signatures and none of billing's internals", async () => {
    const brief = renderContext(await buildContext(ROOT, 'media'));
    const billingContract = readFileSync(join(ROOT, 'modules/billing/module.api.md'), 'utf8');
    const chargeLine = billingContract.split('\n').find((l) => l.startsWith('charge(input: '));
    expect(chargeLine).toBeDefined();
    expect(brief).toContain(chargeLine);
    expect(brief).not.toMatch(/\bBillingService\b/);
    expect(brief).not.toMatch(/\bLedgerEntry\b/);
    expect(brief).not.toMatch(/\bCreditBalance\b/);
    // No file inside billing's folder other than its public API and its contract.
    const billingFiles = [...brief.matchAll(/modules\/billing\/[\w./-]+/g)].map((m) => m[0]);
    expect(billingFiles.filter((f) => f !== 'modules/billing/index.ts' && f !== 'modules/billing/module.api.md')).toEqual([]);
    // Its own internals are its own: its entity and table are listed.
    expect(brief).toContain('media_jobs: entity MediaJob');
  });

  it('lists who depends on it (declared dependents and listeners of its events)', async () => {
    const media = await buildContext(ROOT, 'media');
    expect(media.dependents.map((d) => `${d.module}:${d.via}`)).toEqual(expect.arrayContaining(['billing:listens']));
    const billing = await buildContext(ROOT, 'billing');
    expect(billing.dependents.filter((d) => d.via === 'declared').map((d) => d.module).sort()).toEqual(['accounts', 'media']);
    expect(renderContext(billing)).toMatch(/- media \(modules\/media\): declares a dependency on billing/);
  });

  it('prints JSON that parses, with the same model', async () => {
    const run = await runCli(['context', 'media', '--format', 'json'], ROOT);
    expect(run.code).toBe(0);
    const ctx = JSON.parse(run.stdout);
    expect(ctx.module).toBe('media');
    expect(ctx.mayUse.find((m: { module: string }) => m.module === 'billing')).toMatchObject({ via: 'declared', entry: 'modules/billing/index.ts' });
    expect(ctx.mayListenTo.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['media.job.completed@1', 'media.job.failed@1']));
    expect(ctx.verify).toEqual(['npx modulith check --changed', 'npx modulith check', 'npx modulith contracts --check', 'npx modulith test --affected']);
  });

  it('maps a file to its module (--file), and app-shell code to exit 2', async () => {
    expect((await contextForFile(ROOT, 'modules/billing/billing.service.ts')).module).toBe('billing');
    const run = await runCli(['context', '--file', 'modules/media/png.ts'], ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^modules\/media\/png\.ts belongs to module media\./);
    const shell = await runCli(['context', '--file', 'app/main.ts'], ROOT);
    expect(shell.code).toBe(2);
    expect(shell.stderr).toContain('app-shell code');
  });

  it('exits 2 naming the known modules for an unknown one', async () => {
    const run = await runCli(['context', 'nope'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no module named 'nope' \(known: .*billing.*media/);
  });
});

describe('modulith context (a project without contracts)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads module.json only when no contract can be had, and still gives rules and dependents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modulith-context-'));
    dirs.push(dir);
    const files: Record<string, string> = {
      'modules/billing/module.json': JSON.stringify({ name: 'billing', dependsOn: [] }),
      'modules/orders/module.json': JSON.stringify({ name: 'orders', dependsOn: ['billing'], description: 'Orders.' }),
      'modules/orders/order.entity.ts': "@Entity('orders_orders')\nexport class Order {}\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const ctx = await buildContext(dir, 'orders', { compute: false });
    expect(ctx.contract.source).toBe('none');
    expect(ctx.tables).toEqual([{ entity: 'Order', table: 'orders_orders', file: 'modules/orders/order.entity.ts' }]);
    expect(ctx.mayUse.map((m) => m.module)).toEqual(['billing']);
    expect((await buildContext(dir, 'billing', { compute: false })).dependents.map((d) => d.module)).toEqual(['orders']);
  });
});
