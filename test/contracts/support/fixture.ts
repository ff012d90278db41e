import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareContracts, loadApplicationModules, renderContract, type ContractChange, type ModuleContract } from '../../../src/core/index.js';
import { loadContracts } from '../../../src/contracts/index.js';
import { manifest, tsconfig, writeFile, writeProject } from '../../boundaries/support/project.js';

/**
 * A small monolith with every kind of surface a contract records: billing has a facade whose
 * parameter and result types live in other files (one of them private), an event it publishes, a
 * controller with a route parameter, a body DTO class and a declared response, and a service (its
 * implementation, internal); orders listens to billing's event.
 */
export const BASE: Record<string, string> = {
  'tsconfig.json': tsconfig({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, experimentalDecorators: true } }),
  'modules/billing/module.json': manifest('billing'),
  'modules/billing/index.ts': [
    "export { BillingModule } from './billing.module.js';",
    "export { BillingFacade, type ChargeInput } from './billing.facade.js';",
    "export { InvoicePaid } from './invoice-paid.event.js';",
    '',
  ].join('\n'),
  'modules/billing/charge.dto.ts': 'export interface ChargeInput {\n  accountId: string;\n  amount: number;\n  note?: string;\n}\n',
  'modules/billing/dto/balance.ts': '/** Private: no index.ts exports it, yet it is what the facade returns. */\nexport interface Balance {\n  credits: number;\n  currency: "EUR" | "USD";\n}\n',
  'modules/billing/billing.facade.ts': [
    "import { Facade } from 'nest-modulith';",
    "import type { ChargeInput } from './charge.dto.js';",
    "import type { Balance } from './dto/balance.js';",
    '',
    'export type { ChargeInput };',
    '',
    '@Facade<BillingFacade>({ charge: true, balance: true })',
    'export abstract class BillingFacade {',
    '  /** Takes credits. */',
    '  abstract charge(input: ChargeInput): Promise<Balance>;',
    '  abstract balance(accountId: string): Promise<Balance>;',
    '}',
    '',
  ].join('\n'),
  'modules/billing/billing.service.ts': [
    "import { Injectable } from '@nestjs/common';",
    "import { BillingFacade } from './billing.facade.js';",
    "import type { ChargeInput } from './charge.dto.js';",
    "import type { Balance } from './dto/balance.js';",
    "import { InvoicePaid } from './invoice-paid.event.js';",
    '',
    '@Injectable()',
    'export class BillingService extends BillingFacade {',
    '  private credits = 10;',
    '  async charge(input: ChargeInput): Promise<Balance> {',
    '    this.credits -= input.amount;',
    "    void new InvoicePaid(input.accountId, input.amount);",
    "    return { credits: this.credits, currency: 'EUR' };",
    '  }',
    '  async balance(): Promise<Balance> {',
    "    return { credits: this.credits, currency: 'EUR' };",
    '  }',
    '}',
    '',
  ].join('\n'),
  'modules/billing/billing.module.ts': [
    "import { FeatureModule } from 'nest-modulith';",
    "import { BillingFacade } from './billing.facade.js';",
    "import { BillingService } from './billing.service.js';",
    "import { BalanceController } from './balance.controller.js';",
    '',
    "@FeatureModule({ name: 'billing', controllers: [BalanceController], facades: [{ provide: BillingFacade, useExisting: BillingService }] })",
    'export class BillingModule {}',
    '',
  ].join('\n'),
  'modules/billing/invoice-paid.event.ts': [
    "import { ModuleEvent } from 'nest-modulith/events';",
    '',
    "@ModuleEvent({ name: 'billing.invoice-paid', version: 1 })",
    'export class InvoicePaid {',
    '  constructor(',
    '    readonly accountId: string,',
    '    readonly amount: number,',
    '  ) {}',
    '}',
    '',
  ].join('\n'),
  'modules/billing/top-up.body.ts': 'export class TopUpBody {\n  amount!: number;\n  reference?: string;\n}\n',
  'modules/billing/balance.controller.ts': [
    "import { Body, Controller, Get, Param, Post } from '@nestjs/common';",
    "import { BillingFacade } from './billing.facade.js';",
    "import type { Balance } from './dto/balance.js';",
    "import { TopUpBody } from './top-up.body.js';",
    '',
    "@Controller('billing')",
    'export class BalanceController {',
    '  constructor(private readonly billing: BillingFacade) {}',
    '',
    "  @Get('accounts/:accountId/balance')",
    "  balance(@Param('accountId') accountId: string): Promise<Balance> {",
    '    return this.billing.balance(accountId);',
    '  }',
    '',
    "  @Post('accounts/:accountId/top-ups')",
    "  topUp(@Param('accountId') accountId: string, @Body() body: TopUpBody): Promise<Balance> {",
    '    return this.billing.charge({ accountId, amount: -body.amount });',
    '  }',
    '}',
    '',
  ].join('\n'),
  'modules/orders/module.json': manifest('orders', ['billing']),
  'modules/orders/index.ts': "export { OrdersModule } from './orders.module.js';\n",
  'modules/orders/orders.module.ts': "import { FeatureModule } from 'nest-modulith';\n\n@FeatureModule({ name: 'orders' })\nexport class OrdersModule {}\n",
  'modules/orders/paid.listener.ts': [
    "import { OnModuleEvent } from 'nest-modulith/events';",
    "import { InvoicePaid } from '../billing/index.js';",
    '',
    'export class PaidListener {',
    "  @OnModuleEvent(InvoicePaid, { id: 'orders.mark-paid' })",
    '  async markPaid(event: InvoicePaid): Promise<void> {',
    '    void event;',
    '  }',
    '}',
    '',
  ].join('\n'),
};

export function project(files: Record<string, string> = BASE): string {
  return writeProject(files);
}

/** Every module's contract of the project as it is on disk now (computed, no cache file). */
export async function contractsOf(root: string): Promise<Map<string, ModuleContract>> {
  const model = loadApplicationModules(root, { roots: ['modules'] });
  return (await loadContracts(model)).contracts;
}

export async function rendered(root: string): Promise<Record<string, string>> {
  return Object.fromEntries([...(await contractsOf(root))].map(([name, contract]) => [name, renderContract(contract)]));
}

/** Applies edits to a file of the project: a replacement [from, to] (which must match) or a whole new text. */
export function edit(root: string, path: string, change: [string, string] | string): void {
  if (typeof change === 'string') {
    writeFile(root, path, change);
    return;
  }
  const text = readFileSync(join(root, path), 'utf8');
  if (!text.includes(change[0])) throw new Error(`${path} does not contain ${JSON.stringify(change[0])}`);
  writeFile(root, path, text.replace(change[0], change[1]));
}

/** The changes, per module, that a set of edits of the base project makes to its contracts: `kind: what`. */
export async function changesAfter(edits: Array<[string, [string, string] | string]>, base: Record<string, string> = BASE): Promise<Record<string, string[]>> {
  const root = project(base);
  const before = await contractsOf(root);
  for (const [path, change] of edits) edit(root, path, change);
  const after = await contractsOf(root);
  const result: Record<string, string[]> = {};
  for (const [name, contract] of after) {
    const changes = compareContracts(before.get(name)!, contract);
    if (changes.length) result[name] = changes.map(describeChange);
  }
  return result;
}

export function describeChange(change: ContractChange): string {
  return `${change.kind}: ${change.what}`;
}
