import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownership, withHeader } from '../core/index.js';
import { byText } from './code-facts.js';
import type { DocsModel } from './docs-model.js';
import { renderCanvas, renderIndexCanvas } from './render-canvas.js';
import { renderPage } from './render-page.js';

export const DEFAULT_DOCS_DIR = 'docs/modules';
export const INDEX_CANVAS = 'README.md';
export const PAGE_FILE = 'index.html';

/**
 * One file of the docs folder: `same`, `missing`, `stale` (ours, out of date: rewritten),
 * `obsolete` (ours, of a module that no longer exists: removed), `edited` (ours, edited by hand
 * since: kept), `foreign` (written by hand, no header: kept).
 */
export interface DocsFilePlan {
  /** Path relative to the docs folder, `/` separators. */
  file: string;
  status: 'same' | 'missing' | 'stale' | 'obsolete' | 'edited' | 'foreign';
  /** What the file should hold ('' for an obsolete one). */
  content: string;
}

/**
 * What `modulith docs` would do in `<rootDir>/<outDir>` (writes nothing): a canvas per module, the
 * index canvas and the page, each with a checksummed generated-file header, so a file written or
 * edited by hand is never overwritten or removed. Sorted by file.
 */
export function planDocs(rootDir: string, outDir: string, exact: DocsModel, page: (model: DocsModel) => string = renderPage): DocsFilePlan[] {
  const dir = join(rootDir, outDir);
  const model = withRoundedSizes(exact);
  const wanted = new Map<string, string>();
  for (const m of model.modules) wanted.set(`${m.name}.md`, withHeader(m.name, renderCanvas(model, m.name), 'html', 'docs'));
  wanted.set(INDEX_CANVAS, withHeader('index', renderIndexCanvas(model), 'html', 'docs'));
  // An HTML comment may precede the doctype: the page keeps standards mode and gets the same protection.
  wanted.set(PAGE_FILE, withHeader('page', page(model), 'html', 'docs'));

  const plans: DocsFilePlan[] = [];
  for (const [file, content] of wanted) {
    const current = read(join(dir, file));
    if (current === undefined) {
      plans.push({ file, status: 'missing', content });
      continue;
    }
    const owner = ownership(current, ['docs']);
    plans.push({ file, status: owner === 'generated' ? (current.replace(/\r\n/g, '\n') === content ? 'same' : 'stale') : owner, content });
  }
  // Canvases of modules that are gone: removed only when they are untouched output of ours.
  const existing = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.md')) : [];
  for (const entry of existing) {
    if (wanted.has(entry.name)) continue;
    const text = read(join(dir, entry.name));
    if (text !== undefined && ownership(text, ['docs']) === 'generated') plans.push({ file: entry.name, status: 'obsolete', content: '' });
  }
  return plans.sort((a, b) => byText(a.file, b.file));
}

/** The plans that --check fails on: a file missing, out of date, or left over from a module that is gone. */
export function outdatedDocs(plans: readonly DocsFilePlan[]): DocsFilePlan[] {
  return plans.filter((p) => p.status === 'missing' || p.status === 'stale' || p.status === 'obsolete');
}

/** Applies the plans: writes the missing and stale files, removes the obsolete ones; returns those it touched. */
export function applyDocsPlans(rootDir: string, outDir: string, plans: readonly DocsFilePlan[]): DocsFilePlan[] {
  const dir = join(rootDir, outDir);
  const due = outdatedDocs(plans);
  if (due.length > 0) mkdirSync(dir, { recursive: true });
  for (const p of due) {
    if (p.status === 'obsolete') rmSync(join(dir, p.file), { force: true });
    else writeFileSync(join(dir, p.file), p.content);
  }
  return due;
}

/** `modulith docs`: plans and applies; returns every plan (see DocsFilePlan for what was done). */
export function writeDocs(rootDir: string, outDir: string, model: DocsModel, page?: (model: DocsModel) => string): DocsFilePlan[] {
  const plans = planDocs(rootDir, outDir, model, page);
  applyDocsPlans(rootDir, outDir, plans);
  return plans;
}

/**
 * Committed docs would go stale on every edit if they showed exact line counts: they show them
 * rounded (to 10 below 100 lines, else to 100), which is all a reader (and a node's size) needs.
 * `modulith graph --format json` keeps the exact figures.
 */
export function withRoundedSizes(model: DocsModel): DocsModel {
  const round = (lines: number) => (lines < 100 ? Math.round(lines / 10) * 10 : Math.round(lines / 100) * 100);
  return { ...model, modules: model.modules.map((m) => ({ ...m, size: { files: m.size.files, lines: round(m.size.lines) } })) };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
