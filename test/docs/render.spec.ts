// @modulith-covers docs
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectDocsModel, focusModel, renderCanvas, renderDot, renderJson, renderMermaid, UnknownDocsModuleError, type DocsModel } from '../../src/docs/index.js';
import { removeProjects } from '../boundaries/support/project.js';
import { docsApp, DOCS_APP } from './support/docs-app.js';

afterAll(removeProjects);

let model: DocsModel;
beforeAll(async () => {
  model = await collectDocsModel(await docsApp(), { cache: false });
});

/** The Mermaid link line of `from -> to` and the linkStyle that styles it (links are numbered in order). */
function mermaidLink(text: string, from: string, to: string): { line: string; style: string } {
  const links = text.split('\n').filter((l) => /^ {2}m_\S+ (-->|-\.->)/.test(l));
  const index = links.findIndex((l) => l.startsWith(`  m_${from} `) && l.endsWith(` m_${to}`));
  if (index === -1) throw new Error(`no link ${from} -> ${to} in\n${text}`);
  const style = text.split('\n').find((l) => l.startsWith(`  linkStyle ${index} `));
  return { line: links[index], style: style ?? '' };
}

describe('renderMermaid', () => {
  it('marks shared modules, draws dependencies solid, events dotted with their names, violations red, debt orange dashed, unused grey dashed', () => {
    const text = renderMermaid(model);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).toContain('  m_kernel{{"kernel (shared)"}}\n  class m_kernel shared');
    expect(text).toContain('  m_orders["orders"]\n  class m_orders module');
    expect(text).toContain('  class m_shipping module,violating');

    const ok = mermaidLink(text, 'orders', 'billing');
    expect(ok.line).toBe('  m_orders --> m_billing');
    expect(ok.style).toContain('stroke:#555555');
    const event = mermaidLink(text, 'billing', 'orders');
    expect(event.line).toBe('  m_billing -.->|"billing.invoice-paid@1"| m_orders');
    const violation = mermaidLink(text, 'shipping', 'billing');
    expect(violation.line).toMatch(/^ {2}m_shipping -->\|"\d+ violations?"\| m_billing$/);
    expect(violation.style).toMatch(/stroke:#d32f2f,stroke-width:3px$/);
    const debt = mermaidLink(text, 'reports', 'orders');
    expect(debt.line).toBe('  m_reports -->|"debt: 1 violation"| m_orders');
    expect(debt.style).toContain('stroke:#f57c00');
    expect(debt.style).toContain('stroke-dasharray');
    const unused = mermaidLink(text, 'reports', 'billing');
    expect(unused.line).toBe('  m_reports -->|"unused"| m_billing');
    expect(unused.style).toContain('stroke:#9e9e9e');
    expect(text.split('\n').filter((l) => l.includes('linkStyle')).length).toBe(model.edges.length);
  });

  it('--focus keeps the module, its direct neighbours both ways and the edges among them', () => {
    const text = renderMermaid(model, { focus: 'reports' });
    expect(text).toContain('class m_reports module,focus');
    expect(text).toContain('m_orders["orders"]');
    expect(text).toContain('m_billing["billing"]');
    expect(text).not.toContain('m_shipping');
    expect(text).not.toContain('m_kernel'); // a neighbour of orders only
    // orders -> billing lies between two kept modules: it stays.
    expect(mermaidLink(text, 'orders', 'billing').line).toBe('  m_orders --> m_billing');
    const focused = focusModel(model, 'billing');
    expect(focused.modules.map((m) => m.name)).toEqual(['billing', 'orders', 'reports', 'shipping']);
    expect(() => renderMermaid(model, { focus: 'nope' })).toThrow(UnknownDocsModuleError);
    expect(() => renderMermaid(model, { focus: 'nope' })).toThrow('known modules: billing, kernel, orders, reports, shipping');
  });

  it('--focus a,b keeps both modules and their neighbourhoods, and outlines both', () => {
    expect(focusModel(model, 'reports, shipping').modules.map((m) => m.name)).toEqual(
      [...new Set([...focusModel(model, 'reports').modules, ...focusModel(model, 'shipping').modules].map((m) => m.name))].sort(),
    );
    const text = renderMermaid(model, { focus: 'reports,shipping' });
    expect(text).toContain('class m_reports module,focus');
    expect(text).toMatch(/class m_shipping module,focus/);
    expect(() => focusModel(model, 'reports,nope')).toThrow("unknown module 'nope'");
  });
});

describe('renderDot', () => {
  it('is a digraph with quoted ids and the same styles', () => {
    const text = renderDot(model);
    expect(text.startsWith('digraph modules {\n  rankdir=LR;\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('  "kernel" [label="kernel\\n(shared)", shape=hexagon,');
    expect(text).toContain('  "orders" -> "billing" [color="#555555", tooltip="dependency:orders->billing"];');
    expect(text).toContain('  "billing" -> "orders" [color="#1976d2", style=dotted, label="billing.invoice-paid@1", tooltip="event:billing->orders"];');
    expect(text).toMatch(/ {2}"shipping" -> "billing" \[color="#d32f2f", penwidth=2, label="\d+ violations?"/);
    expect(text).toContain('  "reports" -> "orders" [color="#f57c00", style=dashed, label="debt: 1 violation"');
    // Every statement line ends with `;`, braces balance, every id is quoted.
    const body = text.split('\n').slice(1, -2);
    for (const line of body) expect(line).toMatch(/^ {2}(rankdir=LR|(node|edge) \[.*\]|"[a-z0-9-]+"( -> "[a-z0-9-]+")? \[.*\]);$/);
    const focused = renderDot(model, { focus: 'kernel' });
    expect(focused).toContain('"kernel" [label="kernel\\n(shared)", shape=hexagon, style="filled,dashed", fillcolor="#e8f5e9", color="#2e7d32", penwidth=3]');
    expect(focused).not.toContain('"shipping"');
  });
});

describe('renderJson', () => {
  it('is the model itself, pretty-printed with a trailing newline', () => {
    const text = renderJson(model);
    expect(JSON.parse(text)).toEqual(model);
    expect(text).toBe(`${JSON.stringify(model, null, 2)}\n`);
    expect(JSON.parse(renderJson(model, { focus: 'kernel' }))).toEqual(focusModel(model, 'kernel'));
  });
});

describe('renderCanvas', () => {
  it("holds the module's description, owners, neighbourhood, surface, tables, links and violations", () => {
    const orders = renderCanvas(model, 'orders');
    expect(orders).toContain('# orders\n\nOrders and checkout.\n');
    expect(orders).toContain('- Owners: `@shop/orders`');
    expect(orders).toContain('```mermaid\nflowchart LR\n');
    expect(orders).toContain('class m_orders module,focus');
    expect(orders).toContain('## Events listened to\n\n- `billing.invoice-paid@1` from [billing](./billing.md)\n');
    expect(orders).toContain('## Depends on\n\n- [billing](./billing.md): calls `BillingFacade.charge`; 2 imports\n');
    expect(orders).toContain('## Dependents\n\n- [reports](./reports.md)\n');
    const billing = renderCanvas(model, 'billing');
    expect(billing).toContain('### BillingFacade\n\n```ts\nbalance(accountId: string)');
    expect(billing).toContain('## HTTP routes\n\n- `GET /billing/accounts/:accountId/balance`\n- `POST /billing/accounts/:accountId/top-ups`\n');
    expect(billing).toContain('## Tables\n\n- `invoices`\n');
    expect(billing).toContain('## Events published\n\n- `billing.invoice-paid@1`\n');
    expect(renderCanvas(model, 'shipping')).toMatch(/## Open violations\n\n- error `deep-import` in `modules\/shipping\/ship\.ts`: /);
    expect(renderCanvas(model, 'reports')).toMatch(/## Known debt \(baselined\)\n\n- error `deep-import` in `modules\/reports\/sales\.ts`: /);
    expect(renderCanvas(model, 'reports')).toContain('- [billing](./billing.md): 0 imports; **unused**');
  });
});

describe('determinism', () => {
  it('the same app gives the same bytes, whatever order its files were written in', async () => {
    const reversed = Object.fromEntries(Object.entries(DOCS_APP).reverse());
    const again = await collectDocsModel(await docsApp(reversed), { cache: false });
    expect(renderJson(again)).toBe(renderJson(model));
    expect(renderMermaid(again)).toBe(renderMermaid(model));
    expect(renderDot(again)).toBe(renderDot(model));
    for (const m of model.modules) expect(renderCanvas(again, m.name)).toBe(renderCanvas(model, m.name));
    expect(renderJson(model)).not.toMatch(/\/tmp|modulith-check-|"\d{4}-\d\d-\d\dT/);
  });
});
