import { manifest, tsconfig } from './project.js';

/**
 * A small clean app every coupling case starts from: billing (with internals), orders (declares
 * billing), catalog (declares nothing), kernel (shared), an app shell in src/ and e2e tests in
 * test/. Its own check is clean apart from declared-but-unused warnings.
 */
export function referenceApp(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'tsconfig.json': tsconfig({ include: ['src', 'modules', 'test'] }),
    'modules/billing/module.json': manifest('billing', []),
    'modules/billing/index.ts': "export { charge } from './charge.js';\nexport type { Invoice } from './internal/invoice.js';\n",
    'modules/billing/charge.ts': "import { InvoiceRepository } from './internal/invoice.js';\nexport function charge(): number { return new InvoiceRepository().count; }\n",
    'modules/billing/internal/invoice.ts': 'export interface Invoice { id: string }\nexport class InvoiceRepository { count = 0; }\n',
    'modules/billing/internal/index.ts': "export * from './invoice.js';\n",
    'modules/orders/module.json': manifest('orders', ['billing']),
    'modules/orders/index.ts': "export { placeOrder } from './place-order.js';\n",
    'modules/orders/place-order.ts': "import { charge } from '../billing/index.js';\nexport function placeOrder(): number { return charge(); }\n",
    'modules/catalog/module.json': manifest('catalog'),
    'modules/catalog/index.ts': 'export const catalog = 1;\n',
    'modules/kernel/module.json': manifest('kernel', [], { shared: true }),
    'modules/kernel/index.ts': "export { money } from './money.js';\n",
    'modules/kernel/money.ts': 'export const money = (n: number): number => n;\n',
    'src/main.ts': "import { placeOrder } from '../modules/orders/index.js';\nplaceOrder();\n",
    ...extra,
  };
}
