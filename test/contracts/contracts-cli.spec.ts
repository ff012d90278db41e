// @modulith-covers contracts, boundaries, cli, core
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../src/boundaries/index.js';
import { contractsPlugin } from '../../src/cli/index.js';
import { parseContract, type Violation } from '../../src/core/index.js';
import type { LoadedContracts } from '../../src/contracts/index.js';
import { removeProjects, writeFile } from '../boundaries/support/project.js';
import { runCli } from '../cli/support/run-cli.js';
import { edit, project } from './support/fixture.js';

afterAll(removeProjects);

const BILLING_API = 'modules/billing/module.api.md';
const ORDERS_API = 'modules/orders/module.api.md';
const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');
/** nest-modulith/depcruise from this checkout (a temp project has no node_modules to find it in). */
const DEPCRUISE = `import { modulithRules } from ${JSON.stringify(fileURLToPath(new URL('../../src/depcruise.ts', import.meta.url)))};\nexport default modulithRules();\n`;

describe('modulith contracts', () => {
  it('writes module.api.md beside each module.json, then only what changed; --check exits 1 on a difference, 0 when all match', async () => {
    const root = project();
    const missing = await runCli(['contracts', '--check'], root);
    expect(missing).toMatchObject({ code: 1, stderr: '' });
    expect(missing.stdout).toContain('modulith contracts --check: 2 of 2 module contracts differ from the code');
    expect(missing.stdout).toContain(`⚠ ${BILLING_API}: missing`);
    expect(existsSync(join(root, BILLING_API))).toBe(false);

    const written = await runCli(['contracts'], root);
    expect(written).toMatchObject({ code: 0, stderr: '' });
    expect(written.stdout).toBe(`modulith contracts: 2 written, 0 unchanged\n  wrote ${BILLING_API}: new\n  wrote ${ORDERS_API}: new\n`);
    expect(parseContract(read(root, BILLING_API))?.facades.map((f) => f.name)).toEqual(['BillingFacade']);
    expect(await runCli(['contracts', '--check'], root)).toEqual({ code: 0, stdout: 'modulith contracts --check: 2 module contracts match the code\n', stderr: '' });

    // A breaking change: --check names it, with the changed entries as a diff; contracts rewrites that file only.
    const ordersWritten = statSync(join(root, ORDERS_API)).mtimeMs;
    edit(root, 'modules/billing/charge.dto.ts', ['amount: number;', 'amount: string;']);
    const drift = await runCli(['contracts', '--check'], root);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(
      `✖ ${BILLING_API}: billing's contract changed (2 breaking): BillingFacade.charge(input.amount): number -> string (breaking); ChargeInput.amount: number -> string (breaking)`,
    );
    expect(drift.stdout).toContain('      BillingFacade:\n      - charge(input: { accountId: string; amount: number; note?: string })');
    expect(drift.stdout).toContain('      + charge(input: { accountId: string; amount: string; note?: string })');
    expect(drift.stdout).toContain('fix: run `modulith contracts` and commit the change for review');
    const rewrite = await runCli(['contracts'], root);
    expect(rewrite.stdout).toBe(
      `modulith contracts: 1 written, 1 unchanged\n  wrote ${BILLING_API}: BillingFacade.charge(input.amount): number -> string (breaking); ChargeInput.amount: number -> string (breaking)\n  breaking changes: the owners of the modules that depend on these should review them\n`,
    );
    expect(statSync(join(root, ORDERS_API)).mtimeMs).toBe(ordersWritten);
    expect(read(root, BILLING_API)).toContain('amount: string');
    expect((await runCli(['contracts'], root)).stdout).toBe('modulith contracts: 2 module contracts up to date\n');
  });

  it('a hand-edited or foreign module.api.md is a difference too; CRLF line ends are not', async () => {
    const root = project();
    await runCli(['contracts'], root);
    writeFile(root, ORDERS_API, read(root, ORDERS_API).replace(/\n/g, '\r\n'));
    expect((await runCli(['contracts', '--check'], root)).code).toBe(0);
    writeFile(root, ORDERS_API, '# my notes\n');
    const foreign = await runCli(['contracts', '--check'], root);
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toContain(`✖ ${ORDERS_API}: ${ORDERS_API} is not a contract written by \`modulith contracts\``);
    writeFile(root, ORDERS_API, `${read(root, BILLING_API).replace(/billing/g, 'orders')}`);
    expect((await runCli(['contracts', '--check'], root)).code).toBe(1);
  });

  it('exit 2 on a configuration error, naming the file and the fix', async () => {
    const root = project();
    writeFile(root, 'modules/orders/module.json', '{ "name": "orders", ');
    const run = await runCli(['contracts', '--check'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('modules/orders/module.json');
    expect((await runCli(['contracts', '--frobnicate'], root)).code).toBe(2);
  });
});

describe('modulith check and contracts', () => {
  it('contract-missing is a warning (exit 0); contract-changed an error from module.api.md with the changes (exit 1); --no-contracts skips both', async () => {
    const root = project();
    const fresh = await runCli(['check', '--format', 'json'], root);
    expect(fresh.code).toBe(0);
    const warnings = JSON.parse(fresh.stdout).violations as Violation[];
    expect(warnings.map((v) => [v.rule, v.severity, v.from, v.to, v.fromModule, v.toModule])).toEqual([
      ['contract-missing', 'warn', BILLING_API, BILLING_API, 'billing', null],
      ['contract-missing', 'warn', ORDERS_API, ORDERS_API, 'orders', null],
    ]);

    await runCli(['contracts'], root);
    expect(JSON.parse((await runCli(['check', '--format', 'json'], root)).stdout)).toEqual({ violations: [], known: 0, stale: [] });

    edit(root, 'modules/billing/charge.dto.ts', ['amount: number;', 'amount: string;']);
    edit(root, 'modules/billing/billing.facade.ts', ['  abstract balance(', '  abstract refund(invoiceId: string): Promise<void>;\n  abstract balance(']);
    const changed = await runCli(['check', '--format', 'json'], root);
    expect(changed.code).toBe(1);
    const [violation, ...others] = JSON.parse(changed.stdout).violations;
    expect(others).toEqual([]);
    expect(violation).toEqual({
      rule: 'contract-changed',
      from: BILLING_API,
      to: BILLING_API,
      fromModule: 'billing',
      toModule: null,
      message:
        "billing's contract changed (2 breaking, 1 compatible): BillingFacade.charge(input.amount): number -> string (breaking); added method BillingFacade.refund (compatible); ChargeInput.amount: number -> string (breaking)",
      severity: 'error',
      fix: 'run `modulith contracts` and commit the change for review',
      changes: [
        { kind: 'breaking', section: 'facades', member: 'BillingFacade.charge', what: 'BillingFacade.charge(input.amount): number -> string' },
        { kind: 'compatible', section: 'facades', member: 'BillingFacade.refund', what: 'added method BillingFacade.refund' },
        { kind: 'breaking', section: 'exports', member: 'ChargeInput', what: 'ChargeInput.amount: number -> string' },
      ],
    });

    const pretty = await runCli(['check'], root);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain(`  ✖ ${BILLING_API}  contract-changed\n    billing's contract changed (2 breaking, 1 compatible): `);
    expect(pretty.stdout).toContain(
      [
        '      BillingFacade:',
        '      - charge(input: { accountId: string; amount: number; note?: string }): Promise<{ credits: number; currency: "EUR" | "USD" }>',
        '      + charge(input: { accountId: string; amount: string; note?: string }): Promise<{ credits: number; currency: "EUR" | "USD" }>',
        '      + refund(invoiceId: string): Promise<void>',
      ].join('\n'),
    );
    expect(pretty.stdout).toContain('    fix: run `modulith contracts` and commit the change for review');

    const github = await runCli(['check', '--format', 'github'], root);
    expect(github.stdout).toContain(`::error file=${BILLING_API},title=modulith contract-changed::billing's contract changed (2 breaking, 1 compatible): BillingFacade.charge(input.amount)`);
    const sarif = JSON.parse((await runCli(['check', '--format', 'sarif'], root)).stdout);
    const [result] = sarif.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'contract-changed', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: BILLING_API } } }] });
    expect(result.message.text).toContain('ChargeInput.amount: number -> string (breaking)');
    expect(result.properties.changes).toHaveLength(3);
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string; defaultConfiguration: { level: string } }) => [r.id, r.defaultConfiguration.level]);
    expect(rules).toEqual(expect.arrayContaining([['contract-changed', 'error'], ['contract-missing', 'warning']]));

    expect(await runCli(['check', '--no-contracts', '--format', 'json'], root)).toMatchObject({ code: 0, stdout: expect.stringContaining('"violations": []') });
  });

  it('an internal-only change passes the check; a warm check computes nothing (no TypeScript) and a changed file recomputes only the modules that read it', async () => {
    const root = project();
    await runCli(['contracts'], root);
    const runs: LoadedContracts[] = [];
    const checkOnce = async () => {
      const result = await runCheck({ rootDir: root, baseline: false, plugins: [contractsPlugin({ onLoaded: (loaded) => runs.push(loaded) })] });
      return result.violations;
    };
    expect(await checkOnce()).toEqual([]);
    expect(runs.at(-1)).toMatchObject({ cache: 'warm', computed: [] }); // `contracts` computed them and cached them
    expect(existsSync(join(root, '.modulith-cache/contracts.json'))).toBe(true);

    edit(root, 'modules/billing/billing.service.ts', ['this.credits -= input.amount;', 'this.credits -= Math.abs(input.amount);']);
    expect(await checkOnce()).toEqual([]);
    expect(runs.at(-1)).toMatchObject({ cache: 'partial', computed: ['billing'] });
    expect(await checkOnce()).toEqual([]);
    expect(runs.at(-1)).toMatchObject({ cache: 'warm', computed: [] });

    // A new private file: its module is computed again (an import may now resolve to it), and so is
    // orders, which reads a file of billing; then editing it changes nothing, and costs nothing.
    writeFile(root, 'modules/billing/internal/math.ts', 'export function round(x: number): number {\n  return Math.round(x);\n}\n');
    expect(await checkOnce()).toEqual([]);
    expect(runs.at(-1)?.computed.sort()).toEqual(['billing', 'orders']);
    edit(root, 'modules/billing/internal/math.ts', ['Math.round(x)', 'Math.floor(x)']);
    expect(await checkOnce()).toEqual([]);
    expect(runs.at(-1)).toMatchObject({ cache: 'warm', computed: [] });
    // The same file now holding a listener is part of the contract: found although it was not before.
    edit(root, 'modules/billing/internal/math.ts', ['export function', "import { OnModuleEvent } from 'nest-modulith/events';\nimport { InvoicePaid } from '../invoice-paid.event.js';\nexport class Audit {\n  @OnModuleEvent(InvoicePaid, { id: 'billing.audit' })\n  async on(): Promise<void> {}\n}\nexport function"]);
    const listened = await checkOnce();
    expect(runs.at(-1)?.computed).toEqual(['billing']);
    expect(listened.map((v) => v.message)).toEqual(["billing's contract changed (1 compatible): added listener billing.audit <- billing.invoice-paid@1 (compatible)"]);
    await runCli(['contracts'], root);

    // orders reads billing's event declaration (its listener's event): a change there recomputes both.
    edit(root, 'modules/billing/invoice-paid.event.ts', ['readonly amount: number,', 'readonly amount: number,\n    readonly currency?: string,']);
    const violations = await checkOnce();
    expect(runs.at(-1)?.computed.sort()).toEqual(['billing', 'orders']);
    expect(violations.map((v) => [v.rule, v.from])).toEqual([['contract-changed', BILLING_API]]);
    expect(violations[0].message).toContain('billing.invoice-paid@1.currency: added optional readonly currency?: string (compatible)');
  });
});

describe('init and new write contracts', () => {
  it('modulith new writes the new module\'s module.api.md only; init writes those of the modules it adopts', async () => {
    const root = project();
    const created = await runCli(['new', 'shipping'], root);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('  wrote modules/shipping/module.api.md');
    expect(existsSync(join(root, 'modules/shipping/module.api.md'))).toBe(true);
    expect(existsSync(join(root, BILLING_API))).toBe(false);
    expect(read(root, 'modules/shipping/module.api.md')).toContain('### ShippingFacade');
    const check = await runCli(['check', '--format', 'json'], root);
    expect(JSON.parse(check.stdout).violations.map((v: Violation) => [v.rule, v.fromModule])).toEqual([
      ['contract-missing', 'billing'],
      ['contract-missing', 'orders'],
    ]);

    const adopted = project({
      'package.json': JSON.stringify({ name: 'legacy', private: true }),
      '.dependency-cruiser.mjs': DEPCRUISE,
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'CommonJS', strict: true, experimentalDecorators: true } }),
      'src/users/users.module.ts': "import { Module } from '@nestjs/common';\n@Module({})\nexport class UsersModule {}\n",
      'src/users/users.service.ts': 'export class UsersService {\n  find(id: string): { id: string } {\n    return { id };\n  }\n}\n',
      'src/orders/orders.module.ts': "import { Module } from '@nestjs/common';\n@Module({})\nexport class OrdersModule {}\n",
    });
    const init = await runCli(['init'], adopted);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('  wrote src/orders/module.api.md\n  wrote src/users/module.api.md\n');
    expect(read(adopted, 'src/users/module.api.md')).toContain('class UsersModule {}');
    expect(JSON.parse((await runCli(['check', '--format', 'json'], adopted)).stdout)).toMatchObject({ violations: [] });
  });
});
