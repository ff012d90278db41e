/**
 * The stylesheet of the page `modulith docs` writes (docs/modules/index.html), inlined there so
 * the page needs no network. The graph itself is styled in page-script.ts (cytoscape draws on a
 * canvas); the colours here repeat its palette for the legend.
 */
export const PAGE_STYLE = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --paper: #ffffff; --wash: #f5f7fa;
  --module: #3f72af; --shared: #2f9e8f; --ok: #8a96a3; --violation: #d64545;
  --debt: #e8890c; --undeclared: #8e44ad; --unused: #b0bec5; --accent: #3f72af;
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--wash); display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 16px; background: var(--paper);
  border-bottom: 1px solid var(--line); }
header h1 { font-size: 17px; margin: 0; font-weight: 600; }
#summary { color: var(--muted); flex: 1; }
#search { width: 260px; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
#search:focus { outline: 2px solid var(--accent); border-color: transparent; }
main { flex: 1; display: flex; min-height: 0; }
#stage { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#graph { flex: 1; min-height: 0; }
/* Below the graph, never over it: a legend on the canvas would hide (and swallow clicks on) nodes. */
#legend { display: flex; align-items: center; gap: 14px; padding: 7px 14px; background: var(--paper);
  border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); flex-wrap: wrap; }
#legend h2 { font-size: 12px; margin: 0; color: var(--ink); }
#legend ul { flex: 1; list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
#legend li { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%; background: var(--module); }
.swatch.shared { border-radius: 3px; background: var(--shared); }
.swatch.open { background: var(--paper); border: 3px solid var(--violation); }
.stroke { display: inline-block; width: 26px; height: 0; border-top: 3px solid var(--ok); }
.stroke.event { border-top-style: dashed; }
.stroke.violation { border-top-color: var(--violation); }
.stroke.debt { border-top-color: var(--debt); }
.stroke.undeclared { border-top-color: var(--undeclared); }
.stroke.unused { border-top-color: var(--unused); border-top-style: dotted; }
#panel { width: 400px; max-width: 45vw; overflow-y: auto; background: var(--paper);
  border-left: 1px solid var(--line); padding: 16px 20px 32px; }
#panel h2 { font-size: 20px; margin: 0 0 4px; word-break: break-word; }
#panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: 18px 0 6px; }
#panel p { margin: 6px 0; }
#panel ul { margin: 0; padding-left: 18px; }
#panel li { margin: 2px 0; word-break: break-word; }
#panel code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: var(--wash); padding: 1px 4px; border-radius: 3px; }
#panel .meta { color: var(--muted); }
#panel .badge { display: inline-block; font-size: 11px; padding: 1px 7px; border-radius: 10px;
  background: var(--wash); border: 1px solid var(--line); margin-right: 4px; vertical-align: middle; }
#panel .badge.shared { background: var(--shared); color: #fff; border-color: var(--shared); }
#panel .badge.violation { background: var(--violation); color: #fff; border-color: var(--violation); }
#panel .badge.debt { background: var(--debt); color: #fff; border-color: var(--debt); }
#panel .badge.undeclared { background: var(--undeclared); color: #fff; border-color: var(--undeclared); }
#panel .badge.unused { background: var(--unused); color: var(--ink); border-color: var(--unused); }
#panel .problem { border-left: 3px solid var(--violation); padding-left: 8px; list-style: none; margin-left: -18px; }
#panel .problem.debt { border-left-color: var(--debt); }
#panel button.link { font: inherit; color: var(--accent); background: none; border: 0; padding: 0;
  cursor: pointer; text-decoration: underline; }
#panel a { color: var(--accent); }
#panel .facade { margin-top: 6px; }
`;
