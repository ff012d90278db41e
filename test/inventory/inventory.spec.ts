// @modulith-covers inventory
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runCli } from '../cli/support/run-cli.js';
import { tempProject, type TempProject } from '../core/temp-project.js';
import { collectInventory, inventoryToday, inventoryWarnings, renderInventory } from '../../src/inventory/index.js';
import { loadApplicationModules } from '../../src/core/index.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

const inherited = process.env.MODULITH_TODAY;
beforeEach(() => {
  process.env.MODULITH_TODAY = '2027-01-10';
});
afterEach(() => {
  if (inherited === undefined) delete process.env.MODULITH_TODAY;
  else process.env.MODULITH_TODAY = inherited;
});

/** billing (an account due soon, owned through the module), catalog (nothing), media (an account owned by another team, far away), reports (no owners: an overdue account nobody owns). */
function shop(overrides: Record<string, object> = {}): string {
  const project = tempProject({
    'package.json': { name: 'shop', type: 'module' },
    'modules/media/module.json': {
      name: 'media',
      owners: ['@acme/media'],
      config: {
        IMAGE_API_KEY: { description: 'key of the image provider', secret: true, required: true },
        MEDIA_MAX_JOBS: { description: 'jobs at once', type: 'integer', default: 4 },
      },
      externals: [{ name: 'image-provider', owner: '@acme/ai-team', variables: ['IMAGE_API_KEY'], renews: '2028-06-30', url: 'https://console.example.com', description: 'images' }],
    },
    'modules/billing/module.json': {
      name: 'billing',
      owners: ['@acme/billing', 'lead@acme.example'],
      config: { PAYMENT_KEY: { description: 'payment API key', secret: true } },
      externals: [{ name: 'payments', variables: ['PAYMENT_KEY'], renews: '2027-02-01' }],
    },
    'modules/reports/module.json': {
      name: 'reports',
      config: { MAIL_TOKEN: { description: 'mail | token', secret: true }, REPORTS_TITLE: { description: 'title', default: 'Weekly' } },
      externals: [{ name: 'mailer', variables: ['MAIL_TOKEN'], renews: '2026-12-31' }],
    },
    'modules/catalog/module.json': { name: 'catalog' },
    ...overrides,
  });
  projects.push(project);
  return project.dir;
}

describe('modulith inventory', () => {
  it('pretty: every module, its owners, accounts (owner or the module\'s), secrets by name, variables; warnings', async () => {
    const run = await runCli(['inventory'], shop());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'modulith inventory: 4 modules, 3 external accounts, 3 secrets, 2 other variables (renewals as of 2027-01-10)',
        '',
        'billing (modules/billing)  owners: @acme/billing lead@acme.example',
        '  accounts:',
        "    payments  owner @acme/billing lead@acme.example (the module's owners)  variables PAYMENT_KEY  renews 2027-02-01",
        '  secrets (names only):',
        '    PAYMENT_KEY  (for payments)  payment API key',
        '',
        'catalog (modules/catalog)  owners: none',
        '  nothing from outside (its module.json declares no "config" nor "externals")',
        '',
        'media (modules/media)  owners: @acme/media',
        '  accounts:',
        '    image-provider  owner @acme/ai-team  variables IMAGE_API_KEY  renews 2028-06-30  https://console.example.com',
        '      images',
        '  secrets (names only):',
        '    IMAGE_API_KEY  (required, for image-provider)  key of the image provider',
        '  variables:',
        '    MEDIA_MAX_JOBS  (integer, default 4)  jobs at once',
        '',
        'reports (modules/reports)  owners: none',
        '  accounts:',
        '    mailer  owner none  variables MAIL_TOKEN  renews 2026-12-31',
        '  secrets (names only):',
        '    MAIL_TOKEN  (for mailer)  mail | token',
        '  variables:',
        '    REPORTS_TITLE  (default Weekly)  title',
        '',
        '3 warnings:',
        '  ⚠ renewal-due  billing: account payments renews on 2027-02-01 (in 22 days)',
        '  ⚠ no-owner  reports: account mailer has no owner (neither its own "owner" nor the module\'s "owners"); add "owner" to it in modules/reports/module.json',
        '  ⚠ renewal-overdue  reports: account mailer was due for renewal on 2026-12-31 (10 days ago)',
        '',
      ].join('\n'),
    );
  });

  it('json: one object { today, modules, warnings }, sorted, no value of a secret', async () => {
    const run = await runCli(['inventory', '--format', 'json'], shop());
    expect(run.code).toBe(0);
    const inventory = JSON.parse(run.stdout);
    expect(Object.keys(inventory)).toEqual(['today', 'modules', 'warnings']);
    expect(inventory.today).toBe('2027-01-10');
    expect(inventory.modules.map((m: { name: string }) => m.name)).toEqual(['billing', 'catalog', 'media', 'reports']);
    expect(inventory.modules[2]).toEqual({
      name: 'media',
      path: 'modules/media',
      owners: ['@acme/media'],
      variables: [{ name: 'MEDIA_MAX_JOBS', description: 'jobs at once', required: false, type: 'integer', default: '4', accounts: [] }],
      secrets: [{ name: 'IMAGE_API_KEY', description: 'key of the image provider', required: true, type: 'string', accounts: ['image-provider'] }],
      externals: [{ name: 'image-provider', description: 'images', owners: ['@acme/ai-team'], ownerSource: 'account', variables: ['IMAGE_API_KEY'], renews: '2028-06-30', url: 'https://console.example.com' }],
    });
    expect(inventory.modules[0].externals[0]).toMatchObject({ owners: ['@acme/billing', 'lead@acme.example'], ownerSource: 'module' });
    expect(inventory.warnings).toEqual([
      { module: 'billing', account: 'payments', kind: 'renewal-due', message: 'billing: account payments renews on 2027-02-01 (in 22 days)' },
      expect.objectContaining({ module: 'reports', account: 'mailer', kind: 'no-owner' }),
      { module: 'reports', account: 'mailer', kind: 'renewal-overdue', message: 'reports: account mailer was due for renewal on 2026-12-31 (10 days ago)' },
    ]);
    // Same input, same bytes.
    expect((await runCli(['inventory', '--format', 'json'], shop())).stdout.replace(/"path": "[^"]*"/g, '')).toBe(run.stdout.replace(/"path": "[^"]*"/g, ''));
  });

  it('markdown: tables a team can commit, table cells escaped', async () => {
    const run = await runCli(['inventory', '--format', 'markdown'], shop());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# Outside world of the modules\n/);
    expect(run.stdout).toContain('| `billing` | @acme/billing, lead@acme.example | payments | `PAYMENT_KEY` |  |');
    expect(run.stdout).toContain("| `billing` | payments | @acme/billing, lead@acme.example (the module's owners) | `PAYMENT_KEY` | 2027-02-01 |  |  |");
    expect(run.stdout).toContain('| `reports` | mailer | **none** | `MAIL_TOKEN` | 2026-12-31 |  |  |');
    expect(run.stdout).toContain('| `reports` | `MAIL_TOKEN` | yes |  | string |  | mailer | mail \\| token |');
    expect(run.stdout).toContain('| `media` | `MEDIA_MAX_JOBS` |  |  | integer | 4 |  | jobs at once |');
    expect(run.stdout).toContain('## Warnings (as of 2027-01-10)');
  });

  it('renewals: within 30 days and past warn, further away does not; today comes from MODULITH_TODAY only when valid', async () => {
    const root = shop();
    const modules = collectInventory(loadApplicationModules(root));
    const kinds = (today: string) => inventoryWarnings(modules, today).filter((w) => w.kind !== 'no-owner').map((w) => `${w.account}:${w.kind}`);
    expect(kinds('2026-11-01')).toEqual([]);
    expect(kinds('2026-12-01')).toEqual(['mailer:renewal-due']);
    expect(kinds('2026-12-31')).toEqual(['mailer:renewal-due']);
    expect(inventoryWarnings(modules, '2026-12-31').find((w) => w.account === 'mailer' && w.kind === 'renewal-due')?.message).toContain('(today)');
    expect(kinds('2027-01-02')).toEqual(['payments:renewal-due', 'mailer:renewal-overdue']);
    expect(kinds('2028-06-01')).toEqual(['payments:renewal-overdue', 'image-provider:renewal-due', 'mailer:renewal-overdue']);
    expect(inventoryToday('2027-02-30', new Date('2026-05-05T10:00:00Z'))).toBe('2026-05-05');
    expect(inventoryToday('2027-02-28')).toBe('2027-02-28');

    process.env.MODULITH_TODAY = 'soon';
    const run = await runCli(['inventory', '--format', 'json'], root);
    expect(run.stderr).toContain('MODULITH_TODAY is not a date (YYYY-MM-DD); ignored');
    expect(JSON.parse(run.stdout).today).toBe(new Date().toISOString().slice(0, 10));
  });

  it('--strict: exit 1 with a warning, 0 without', async () => {
    expect((await runCli(['inventory', '--strict'], shop())).code).toBe(1);
    process.env.MODULITH_TODAY = '2026-01-01';
    const clean = shop({ 'modules/reports/module.json': { name: 'reports', owners: ['@acme/reports'] } });
    const run = await runCli(['inventory', '--strict'], clean);
    expect(run.stdout).toContain('✔ no warnings');
    expect(run.code).toBe(0);
  });

  it('a module with nothing declared still lists with its owners; an empty app lists none', async () => {
    const root = tempProject({ 'package.json': { name: 'empty' } });
    projects.push(root);
    const run = await runCli(['inventory', '--format', 'json'], root.dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ today: '2027-01-10', modules: [], warnings: [] });
    expect(renderInventory({ today: '2027-01-10', modules: [], warnings: [] }, 'markdown')).toContain('## External accounts\n\nNone.');
  });

  it('bad usage exits 2', async () => {
    const root = shop();
    const run = await runCli(['inventory', '--format', 'yaml'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown format 'yaml' (use pretty, json, markdown)");
    expect((await runCli(['inventory', 'media'], root)).code).toBe(2);
  });

  it('hostile module.json values are refused: exit 2 naming the file', async () => {
    const secretDefault = shop({ 'modules/media/module.json': { name: 'media', config: { IMAGE_API_KEY: { description: 'key', secret: true, default: 'sk-live-123' } } } });
    const run = await runCli(['inventory'], secretDefault);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('modules/media/module.json');
    expect(run.stderr).toContain('is a secret with a "default"');
    expect(run.stdout).toBe('');

    const forged = shop({
      'modules/billing/module.json': { name: 'billing', externals: [{ name: 'pay\u001b[2Jments\nwarning: all good', variables: ['NOPE'], renews: '2027-13-01', url: 'javascript:alert(1)' }] },
    });
    const bad = await runCli(['inventory', '--format', 'markdown'], forged);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('modules/billing/module.json');
    expect(bad.stderr).toContain('"renews" must be a date');
    expect(bad.stderr).not.toContain('\u001b');
  });
});
