import { manifest, writeFile, writeProject } from '../../boundaries/support/project.js';
import { runCli } from '../../cli/support/run-cli.js';
import { BASE } from '../../contracts/support/fixture.js';

/**
 * The contracts' fixture app (billing: facade, event, routes; orders: depends on billing, listens
 * to its event) grown into everything a module graph shows: billing owns a table, orders calls
 * BillingFacade.charge and uses the shared kernel undeclared (fine: shared), reports reaches into
 * orders' internals (recorded in the baseline: debt) and declares billing without importing it
 * (unused), shipping reaches into billing's internals (an open violation).
 */
export const DOCS_APP: Record<string, string> = {
  ...BASE,
  'modules/billing/invoice.entity.ts': "import { Entity } from 'typeorm';\n\n@Entity('invoices')\nexport class Invoice {\n  id!: string;\n}\n",
  'modules/billing/billing.service.spec.ts': "import { BillingService } from './billing.service.js';\n\nvoid BillingService;\n",
  'modules/kernel/module.json': manifest('kernel', [], { shared: true, description: 'Money and ids every module may use.' }),
  'modules/kernel/index.ts': 'export type Money = { amount: number; currency: string };\n',
  'modules/orders/module.json': manifest('orders', ['billing'], { description: 'Orders and checkout.', owners: ['@shop/orders'] }),
  'modules/orders/checkout.service.ts': [
    "import { BillingFacade } from '../billing/index.js';",
    "import type { Money } from '../kernel/index.js';",
    '',
    'export class CheckoutService {',
    '  constructor(private readonly billing: BillingFacade) {}',
    '  async pay(accountId: string, total: Money): Promise<void> {',
    '    await this.billing.charge({ accountId, amount: total.amount });',
    '  }',
    '}',
    '',
  ].join('\n'),
  'modules/reports/module.json': manifest('reports', ['billing', 'orders']),
  'modules/reports/index.ts': "export { sales } from './sales.js';\n",
  'modules/reports/sales.ts': "import { CheckoutService } from '../orders/checkout.service.js';\n\nexport const sales = (): string => CheckoutService.name;\n",
  'modules/shipping/module.json': manifest('shipping'),
  'modules/shipping/index.ts': "export { ship } from './ship.js';\n",
  'modules/shipping/ship.ts': 'export const ship = (): string => "parcel";\n',
};

/** Shipping's deep import into billing, added after the baseline so it stays open. */
export const SHIPPING_VIOLATION = "import { BillingService } from '../billing/billing.service.js';\n\nexport const ship = (): string => BillingService.name;\n";

/** The app on disk, its baseline recording reports' deep import, then shipping's violation added. */
export async function docsApp(files: Record<string, string> = DOCS_APP): Promise<string> {
  const root = writeProject(files);
  const baseline = await runCli(['baseline'], root);
  if (baseline.code !== 0) throw new Error(`modulith baseline failed: ${baseline.stderr}${baseline.stdout}`);
  writeFile(root, 'modules/shipping/ship.ts', SHIPPING_VIOLATION);
  return root;
}
