// @modulith-covers docs
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { collectDocsModel } from '../../src/docs/index.js';
import { renderPage } from '../../src/docs/index.js';
import { describeInBrowser, launchChromium, openHtml, type OpenedPage } from './support/browser.js';
import { HOSTILE_DESCRIPTION, HOSTILE_EVENT, sampleModel } from './support/sample-model.js';

// The page `modulith docs` writes (docs/modules/index.html), opened from file:// in headless
// Chromium: what a reader clicks, and that it needs no network and runs nothing from the model.
const { browser, unavailable } = await launchChromium();
afterAll(async () => {
  await browser?.close();
});

/** What the tests read in the page (this project compiles without the DOM types). */
interface InPage {
  modulithGraph: any; // cytoscape's Core
  document: { querySelectorAll(selector: string): { length: number } };
  __pwned?: number;
}

const html = renderPage(sampleModel);
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The names in the module.json files of this repository's modules roots, read without the collector. */
function repositoryModules(): string[] {
  const names: string[] = [];
  for (const root of ['modules', 'src']) {
    for (const entry of readdirSync(join(REPO, root), { withFileTypes: true })) {
      const manifest = join(REPO, root, entry.name, 'module.json');
      if (entry.isDirectory() && existsSync(manifest)) names.push((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name);
    }
  }
  return names.sort();
}

/** Opens the page, runs the checks, and fails on any page error, console error or request. */
async function withPage(source: string, checks: (opened: OpenedPage) => Promise<void>): Promise<void> {
  const opened = await openHtml(browser!, source);
  try {
    await checks(opened);
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([opened.url]);
  } finally {
    await opened.close();
  }
}

const panelText = (page: Page) => page.locator('#panel').innerText();
/** Taps a node or edge through cytoscape (returning nothing: a collection does not serialise). */
const tap = (page: Page, id: string) =>
  page.evaluate((target) => {
    (globalThis as unknown as InPage).modulithGraph.$id(target).emit('tap');
  }, id);

it('is the same bytes for the same model, with nothing from the model as raw markup', () => {
  expect(renderPage(sampleModel)).toBe(html);
  expect(renderPage(structuredClone(sampleModel))).toBe(html);
  expect(html).not.toContain('</script><img');
  expect(html).not.toContain('window.__pwned=2</script>');
  expect(html).not.toContain('sourceMappingURL');
  expect(html).toContain('Copyright (c) 2016-2026, The Cytoscape Consortium'); // its license travels with it
  expect(html.match(/<\/script>/g)).toHaveLength(3); // the model, cytoscape, the page's script
});

describeInBrowser('the modules page in Chromium', unavailable, () => {
  it('draws every module as a node and every edge, with no error and no request but the file', async () => {
    await withPage(html, async ({ page }) => {
      const drawn = await page.evaluate(() => {
        const cy = (globalThis as unknown as InPage).modulithGraph;
        return {
          nodes: cy.nodes().map((n: any) => n.id()).sort(),
          edges: cy.edges().map((e: any) => e.id()).sort(),
          shared: cy.nodes('.shared').map((n: any) => n.id()),
          open: cy.nodes('.open').map((n: any) => n.id()),
          dashed: cy.edges('.event').map((e: any) => e.style('line-style')),
          violationColour: cy.$id('dependency:orders->billing').style('line-color'),
          okColour: cy.$id('dependency:accounts->billing').style('line-color'),
        };
      });
      expect(drawn.nodes).toEqual(sampleModel.modules.map((m) => m.name).sort());
      expect(drawn.edges).toEqual(sampleModel.edges.map((e) => e.id).sort());
      expect(drawn.shared).toEqual(['kernel']);
      expect(drawn.open).toEqual(['orders']);
      expect(new Set(drawn.dashed)).toEqual(new Set(['dashed']));
      expect(drawn.violationColour).not.toBe(drawn.okColour);
      await expect(page.locator('#legend').innerText()).resolves.toContain('event flow');
      await expect(page.locator('#summary').innerText()).resolves.toContain('6 modules');
    });
  });

  it('shows a module canvas when the module is clicked, and follows its dependencies', async () => {
    await withPage(html, async ({ page }) => {
      // A real mouse click where cytoscape drew the node.
      const box = (await page.locator('#graph').boundingBox())!;
      const at = await page.evaluate(() => (globalThis as unknown as InPage).modulithGraph.$id('billing').renderedPosition());
      await page.mouse.click(box.x + at.x, box.y + at.y);
      await expect(page.locator('#panel').getAttribute('data-name')).resolves.toBe('billing');
      const text = await panelText(page);
      expect(text).toContain('Credits and their ledger.');
      expect(text).toContain('charge(input: ChargeInput): Promise<Receipt>');
      expect(text).toContain('@acme/payments');
      expect(text).toContain('GET /billing/balance');
      expect(text).toContain('billing_ledger');
      expect(text).toContain('accounts.account-opened@1');
      await expect(page.locator('[data-test="canvas-link"]').getAttribute('href')).resolves.toBe('./billing.md');

      await page.locator('#panel [data-test="dependents"] button[data-module="orders"]').click();
      await expect(page.locator('#panel').getAttribute('data-name')).resolves.toBe('orders');
      const orders = await panelText(page);
      expect(orders).toContain('placeOrder(input: PlaceOrder): Promise<OrderView>');
      expect(orders).toContain("orders reaches into billing's internals");
    });
  });

  it('shows the imports, facade calls and violations behind a dependency edge, and the events behind an event edge', async () => {
    await withPage(html, async ({ page }) => {
      await tap(page, 'dependency:orders->billing');
      await expect(page.locator('#panel').getAttribute('data-showing')).resolves.toBe('edge');
      const text = await panelText(page);
      expect(text).toContain('orders → billing');
      expect(text).toContain('modules/orders/internal/checkout.ts');
      expect(text).toContain('modules/billing/internal/ledger.ts');
      expect(text).toContain('BillingFacade.charge');
      expect(text).toContain('deep-import');
      expect(text).toContain('open violation');

      await tap(page, 'event:orders->notifications');
      const event = await panelText(page);
      expect(event).toContain('orders.order-placed@1');
      expect(event).toContain('publishes events that');

      await tap(page, 'dependency:notifications->accounts');
      expect(await panelText(page)).toContain('known debt');
    });
  });

  it('finds a module from the search box, and Enter selects it', async () => {
    await withPage(html, async ({ page }) => {
      await page.locator('#search').fill('notif');
      const marked = await page.evaluate(() => (globalThis as unknown as InPage).modulithGraph.nodes('.match').map((n: any) => n.id()));
      expect(marked).toEqual(['notifications']);
      await page.locator('#search').press('Enter');
      await expect(page.locator('#panel').getAttribute('data-name')).resolves.toBe('notifications');
      expect(await panelText(page)).toContain('Delivers events to an account’s webhook.');
    });
  });

  it('shows hostile text from the model literally and runs none of it', async () => {
    await withPage(html, async ({ page }) => {
      await tap(page, 'catalog');
      await expect(page.locator('[data-test="description"]').textContent()).resolves.toBe(HOSTILE_DESCRIPTION);
      await expect(page.locator('#panel [data-test="publishes"] code').textContent()).resolves.toBe(HOSTILE_EVENT);
      await tap(page, 'event:catalog->orders');
      expect(await panelText(page)).toContain(HOSTILE_EVENT);
      const state = await page.evaluate(() => ({
        pwned: (globalThis as unknown as InPage).__pwned,
        images: (globalThis as unknown as InPage).document.querySelectorAll('img').length,
        scripts: (globalThis as unknown as InPage).document.querySelectorAll('script').length,
      }));
      expect(state).toEqual({ pwned: undefined, images: 0, scripts: 3 });
    });
  });

  it('draws every module of this repository, from the real collector', async () => {
    const model = await collectDocsModel(REPO, { cache: false });
    await withPage(renderPage(model), async ({ page }) => {
      const nodes = await page.evaluate(() => (globalThis as unknown as InPage).modulithGraph.nodes().map((n: any) => n.id()).sort());
      expect(nodes).toEqual(model.modules.map((m) => m.name).sort());
      expect(nodes).toEqual(expect.arrayContaining(repositoryModules()));
      expect(nodes).toEqual(expect.arrayContaining(['accounts', 'billing', 'kernel', 'media', 'media-events', 'notifications']));
      await tap(page, 'billing');
      await expect(page.locator('[data-test="canvas-link"]').getAttribute('href')).resolves.toBe('./billing.md');
      const billing = model.modules.find((m) => m.name === 'billing')!;
      const text = await panelText(page);
      for (const facade of billing.facades) expect(text).toContain(facade.name);
    });
  }, 180_000);
});

