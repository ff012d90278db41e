// The README's picture of the modules page: opens docs/modules/index.html (written by
// `modulith docs`) in headless Chromium at 1280x800, selects one module so the side panel shows
// its canvas, and writes docs/modules/screenshot.png.
//
//   node scripts/docs-screenshot.mjs [MODULE] [--page docs/modules/index.html] [--out docs/modules/screenshot.png]
//
// Chromium: /usr/bin/chromium, or the one MODULITH_CHROMIUM names.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const pageFile = resolve(root, option('--page', 'docs/modules/index.html'));
const out = resolve(root, option('--out', join('docs', 'modules', 'screenshot.png')));
// A module with facades, events and dependents makes the fullest panel; billing is the reference app's.
const wanted = args[0] ?? 'billing';

if (!existsSync(pageFile)) {
  console.error(`${pageFile} does not exist: run \`npx modulith docs\` first`);
  process.exit(1);
}
const browser = await chromium.launch({ executablePath: process.env.MODULITH_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(pageFile).href);
  await page.waitForSelector('body[data-ready="true"]');
  const selected = await page.evaluate((name) => {
    const cy = window.modulithGraph;
    const node = cy.$id(name).length ? cy.$id(name) : cy.nodes().first();
    node.emit('tap');
    return node.id();
  }, wanted);
  await page.waitForSelector(`#panel[data-showing="module"]`);
  if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
  await page.screenshot({ path: out });
  console.log(`${out} (module ${selected})`);
} finally {
  await browser.close();
}
