// Public API of the `docs` module: the module graph and each module's canvas, from what the
// check, the contracts and the extraction analyses compute.
//
//   const model = await collectDocsModel(rootDir, { plugins });   // runs the boundary check
//   renderMermaid(model, { focus: 'orders' }); renderDot(model); renderJson(model);
//   writeDocs(rootDir, 'docs/modules', model);                    // <name>.md, README.md, index.html
export type { DocsModel, DocsModule, DocsEdge, DocsViolation, EdgeKind } from './docs-model.js';
export { collectDocsModel, type CollectDocsOptions } from './collect.js';
export { assembleDocsModel, type DocsFacts } from './assemble.js';
export { focusModel, focusNames, UnknownDocsModuleError } from './focus.js';
export { renderMermaid } from './render-mermaid.js';
export { renderDot } from './render-dot.js';
export { renderJson } from './render-json.js';
export { renderCanvas, renderIndexCanvas } from './render-canvas.js';
export { renderPage } from './render-page.js';
export { planDocs, applyDocsPlans, outdatedDocs, writeDocs, DEFAULT_DOCS_DIR, INDEX_CANVAS, PAGE_FILE, type DocsFilePlan } from './docs-files.js';
