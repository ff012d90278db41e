// @modulith-covers docs
import { afterAll, describe, expect, it } from '@jest/globals';
import { collectDocsModel, type DocsEdge, type DocsModel } from '../../src/docs/index.js';
import { removeProjects } from '../boundaries/support/project.js';
import { docsApp } from './support/docs-app.js';

afterAll(removeProjects);

const edge = (model: DocsModel, id: string): DocsEdge => {
  const found = model.edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id} in ${model.edges.map((e) => e.id).join(', ')}`);
  return found;
};

describe('collectDocsModel', () => {
  let model: DocsModel;
  it('builds the modules from module.json, the contracts, the tables and the check', async () => {
    model = await collectDocsModel(await docsApp(), { cache: false });
    expect(model.version).toBe(1);
    expect(model.modules.map((m) => m.name)).toEqual(['billing', 'kernel', 'orders', 'reports', 'shipping']);
    const [billing, kernel, orders, reports, shipping] = model.modules;
    expect(kernel).toMatchObject({ shared: true, description: 'Money and ids every module may use.', dir: 'modules/kernel', dependents: [] });
    expect(orders).toMatchObject({ owners: ['@shop/orders'], dependsOn: ['billing'], listens: ['billing.invoice-paid@1'] });
    expect(billing.dependents).toEqual(['orders', 'reports']);
    expect(billing.facades.map((f) => f.name)).toEqual(['BillingFacade']);
    expect(billing.facades[0].methods.map((m) => m.slice(0, m.indexOf('(')))).toEqual(['balance', 'charge']);
    expect(billing.facades[0].methods[1]).toMatch(/^charge\(input: \{ accountId: string; amount: number; note\?: string \}\): Promise<\{/);
    expect(billing.publishes).toEqual(['billing.invoice-paid@1']);
    expect(billing.routes).toEqual(['GET /billing/accounts/:accountId/balance', 'POST /billing/accounts/:accountId/top-ups']);
    expect(billing.tables).toEqual(['invoices']);
    expect(billing.size.files).toBe(10); // its spec file is no part of its size
    expect(billing.size.lines).toBeGreaterThan(60);
    expect(shipping.violations.map((v) => [v.rule, v.severity, v.from])).toContainEqual(['deep-import', 'error', 'modules/shipping/ship.ts']);
    expect(shipping.debt).toEqual([]);
    expect(reports.violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(reports.debt.map((v) => [v.rule, v.from, v.to])).toContainEqual(['deep-import', 'modules/reports/sales.ts', 'modules/orders/checkout.service.ts']);
  });

  it('draws a declared dependency with its imports and facade calls, and a shared module used without declaring it', () => {
    expect(edge(model, 'dependency:orders->billing')).toMatchObject({
      kind: 'dependency',
      declared: true,
      status: 'ok',
      calls: ['BillingFacade.charge'],
      imports: [
        { from: 'modules/orders/checkout.service.ts', to: 'modules/billing/index.ts' },
        { from: 'modules/orders/paid.listener.ts', to: 'modules/billing/index.ts' },
      ],
    });
    expect(edge(model, 'dependency:orders->kernel')).toMatchObject({ declared: false, status: 'ok' });
  });

  it('an open violation, baselined debt, an unused dependency and an event flow, each on its edge', () => {
    const violation = edge(model, 'dependency:shipping->billing');
    expect(violation).toMatchObject({ declared: false, status: 'violation', debt: [] });
    expect(violation.violations.map((v) => v.rule)).toContain('deep-import');
    const debt = edge(model, 'dependency:reports->orders');
    expect(debt).toMatchObject({ declared: true, status: 'debt', violations: [] });
    expect(debt.debt.map((v) => v.rule)).toEqual(['deep-import']);
    expect(edge(model, 'dependency:reports->billing')).toMatchObject({ declared: true, status: 'unused', imports: [] });
    expect(edge(model, 'event:billing->orders')).toMatchObject({ kind: 'event', events: ['billing.invoice-paid@1'], status: 'ok', declared: true });
    expect(model.edges.map((e) => e.id)).toEqual([...model.edges.map((e) => e.id)].sort());
  });
});
