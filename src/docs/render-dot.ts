import type { DocsModel } from './docs-model.js';
import { edgeLook, focusModel, focusNames } from './focus.js';

/** The module graph in Graphviz DOT (`dot -Tsvg`), with the Mermaid graph's meaning: same shapes, colours and labels. */
export function renderDot(model: DocsModel, options: { focus?: string } = {}): string {
  const shown = options.focus !== undefined ? focusModel(model, options.focus) : model;
  const lines = [
    'digraph modules {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5", fontname="Helvetica"];',
    '  edge [color="#555555", fontname="Helvetica", fontsize=10];',
  ];
  for (const m of shown.modules) {
    const attrs = [`label=${quote(m.shared ? `${m.name}\n(shared)` : m.name)}`];
    if (m.shared) attrs.push('shape=hexagon', 'style="filled,dashed"', 'fillcolor="#e8f5e9"', 'color="#2e7d32"');
    if (isFocused(m.name, options.focus)) attrs.push('penwidth=3');
    if (m.violations.some((v) => v.severity !== 'warn')) attrs.push('color="#d32f2f"');
    lines.push(`  ${quote(m.name)} [${attrs.join(', ')}];`);
  }
  for (const e of shown.edges) {
    const look = edgeLook(e);
    const attrs = [`color=${quote(look.color)}`];
    if (look.dotted) attrs.push('style=dotted');
    else if (look.dashed) attrs.push('style=dashed');
    if (e.status === 'violation') attrs.push('penwidth=2');
    if (look.label) attrs.push(`label=${quote(look.label)}`);
    attrs.push(`tooltip=${quote(e.id)}`);
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT double-quoted string: `"` and `\` escaped, a newline as `\n`. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function isFocused(name: string, focus: string | undefined): boolean {
  return focus !== undefined && focusNames(focus).includes(name);
}
