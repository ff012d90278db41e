import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocsModel } from './docs-model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * The interactive page of `modulith docs` (docs/modules/index.html): the module graph drawn by
 * cytoscape, a side panel with each module's canvas and what lies behind each edge, a search box
 * and a legend. One self-contained file: every script and style inline, the model embedded as
 * JSON, so it opens from file:// and from a CI artifact without any network. Pure: the same model
 * gives the same bytes.
 */
export function renderPage(model: DocsModel): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network, ever: a CSP makes the promise checkable (inline script and style only).
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    '<title>Modules</title>',
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>Modules</h1>',
    '<span id="summary"></span>',
    '<input id="search" type="search" list="module-names" placeholder="Find a module (Enter selects)" autocomplete="off" aria-label="Find a module">',
    '<datalist id="module-names"></datalist>',
    '</header>',
    '<main>',
    '<div id="stage">',
    '<div id="graph" role="img" aria-label="Module graph"></div>',
    LEGEND,
    '</div>',
    '<aside id="panel" aria-live="polite"></aside>',
    '</main>',
    `<script type="application/json" id="model">${embedJson(model)}</script>`,
    `<script>${inlineScript(cytoscapeSource())}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const LEGEND = [
  '<div id="legend">',
  '<h2>Legend</h2>',
  '<ul>',
  '<li><span class="swatch"></span>module (size: lines of code)</li>',
  '<li><span class="swatch shared"></span>shared module</li>',
  '<li><span class="swatch open"></span>open violations</li>',
  '<li><span class="stroke"></span>dependency</li>',
  '<li><span class="stroke event"></span>event flow</li>',
  '<li><span class="stroke violation"></span>violation</li>',
  '<li><span class="stroke debt"></span>known debt</li>',
  '<li><span class="stroke undeclared"></span>undeclared use</li>',
  '<li><span class="stroke unused"></span>declared, unused</li>',
  '</ul>',
  '</div>',
].join('');

/**
 * JSON that is safe inside a <script> element: `<`, `>` and `&` as \u escapes (so no `</script>`
 * or `<!--` can end or confuse the element), and U+2028/2029 escaped for older JS parsers.
 * JSON.parse reads the escapes back as the original characters.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Script text that cannot end its <script> element early (cytoscape's code is third-party). */
function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

let cytoscapeText: string | undefined;

/**
 * cytoscape's minified browser build, license banner kept, without its source-map comment (the
 * page must not point at any other file). Read once per process.
 */
function cytoscapeSource(): string {
  cytoscapeText ??= readFileSync(cytoscapeFile(), 'utf8')
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '')
    .trimEnd();
  return cytoscapeText;
}

/**
 * Where `cytoscape/dist/cytoscape.min.js` is: resolved like a require() from this file (found from
 * a stack trace, since import.meta does not compile in the CommonJS build), so an installed
 * nest-modulith finds its own dependency; else from the running command and the working directory.
 */
function cytoscapeFile(): string {
  const failures: string[] = [];
  for (const start of [ownFile(), process.argv[1], join(process.cwd(), 'package.json')]) {
    if (!start) continue;
    try {
      return createRequire(realpathSync(start)).resolve('cytoscape/dist/cytoscape.min.js');
    } catch (error) {
      failures.push(`${start}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`cannot find the cytoscape package (a dependency of nest-modulith) for the docs page: ${failures.join('; ')}`);
}

/** This module's file, from a stack trace. */
function ownFile(): string | undefined {
  for (const line of (new Error().stack ?? '').split('\n')) {
    const match = line.match(/\(?((?:file:\/\/)?[^\s()]+render-page\.[cm]?[jt]s)(?::\d+)*\)?\s*$/);
    if (match) return match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1];
  }
  return undefined;
}
