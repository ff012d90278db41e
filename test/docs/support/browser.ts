import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireServices } from '../../support/services.js';

/** The system Chromium (.ci/run installs it); MODULITH_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.MODULITH_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium, or why it could not start. Await it at the top of a test file. */
export async function launchChromium(): Promise<{ browser?: Browser; unavailable?: string }> {
  try {
    return { browser: await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }) };
  } catch (error) {
    return { unavailable: `Chromium cannot be launched from ${CHROMIUM}: ${(error as Error).message.split('\n')[0]}` };
  }
}

/**
 * `describe` in a real browser: skipped with the reason printed when Chromium is missing, or a
 * failing test in CI (CI or MODULITH_REQUIRE_SERVICES=1), where the page must be tested.
 */
export function describeInBrowser(title: string, unavailable: string | undefined, body: () => void): void {
  if (!unavailable) describe(title, body);
  else if (requireServices || process.env.CI) {
    describe(title, () => {
      it('needs Chromium (CI / MODULITH_REQUIRE_SERVICES=1)', () => {
        throw new Error(`${unavailable} (install it: apt-get install -y chromium)`);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${unavailable}`);
    describe.skip(title, body);
  }
}

/** A page opened from a file, with everything that went wrong in it and every request it made. */
export interface OpenedPage {
  page: Page;
  url: string;
  errors: string[];
  requests: string[];
  close(): Promise<void>;
}

/** Writes html to a temporary index.html and opens it over file://, 1280x800. */
export async function openHtml(browser: Browser, html: string): Promise<OpenedPage> {
  const dir = await mkdtemp(join(tmpdir(), 'modulith-page-'));
  const file = join(dir, 'index.html');
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('request', (request) => requests.push(request.url()));
  // Anything but the file itself would be a dependency on the network (or on other files).
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
  return {
    page,
    url,
    errors,
    requests,
    close: async () => {
      await page.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
