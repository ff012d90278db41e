import type { DocsModel } from './docs-model.js';
import { COLORS, edgeLook, focusModel, focusNames } from './focus.js';

/**
 * The module graph as a Mermaid flowchart (GitHub renders it in Markdown). Shared modules are
 * hexagons; `focus` keeps one module's neighbourhood and outlines it. Pure: same model, same text.
 */
export function renderMermaid(model: DocsModel, options: { focus?: string } = {}): string {
  const shown = options.focus !== undefined ? focusModel(model, options.focus) : model;
  const lines = [
    'flowchart LR',
    `  classDef module fill:#eef3fb,stroke:#4a6fa5,color:#1a1a1a`,
    `  classDef shared fill:#e8f5e9,stroke:#2e7d32,color:#1a1a1a,stroke-dasharray:4 2`,
    `  classDef focus stroke-width:3px`,
    `  classDef violating stroke:${COLORS.violation},stroke-width:2px`,
  ];
  for (const m of shown.modules) {
    const label = quote(`${m.name}${m.shared ? ' (shared)' : ''}`);
    lines.push(`  ${nodeId(m.name)}${m.shared ? `{{${label}}}` : `[${label}]`}`);
    const classes = [m.shared ? 'shared' : 'module', ...(isFocused(m.name, options.focus) ? ['focus'] : []), ...(m.violations.some((v) => v.severity !== 'warn') ? ['violating'] : [])];
    lines.push(`  class ${nodeId(m.name)} ${classes.join(',')}`);
  }
  const styles: string[] = [];
  shown.edges.forEach((e, index) => {
    const look = edgeLook(e);
    const arrow = look.dotted ? '-.->' : '-->';
    lines.push(`  ${nodeId(e.from)} ${arrow}${look.label ? `|${quote(look.label)}|` : ''} ${nodeId(e.to)}`);
    styles.push(`  linkStyle ${index} stroke:${look.color},stroke-width:${e.status === 'violation' ? 3 : 1.5}px${look.dashed ? ',stroke-dasharray:6 4' : ''}`);
  });
  return `${[...lines, ...styles].join('\n')}\n`;
}

/** Module names are `[a-z0-9-]` (module-name.ts); `-` is not safe in a Mermaid id, `_` is and never occurs in a name. */
function nodeId(name: string): string {
  return `m_${name.replace(/-/g, '_')}`;
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

function isFocused(name: string, focus: string | undefined): boolean {
  return focus !== undefined && focusNames(focus).includes(name);
}
