import type { DocsModel, DocsModule, DocsViolation } from './docs-model.js';
import { UnknownDocsModuleError } from './focus.js';
import { renderMermaid } from './render-mermaid.js';

/**
 * One module's canvas, `<name>.md` (the body: docs-files.ts adds the generated-file header): what
 * it is for, who owns it, its neighbourhood as a diagram, its surface (facades, events, routes),
 * its tables, what it uses and what uses it (linked to their canvases), and its open violations
 * and known debt.
 */
export function renderCanvas(model: DocsModel, name: string): string {
  const module = model.modules.find((m) => m.name === name);
  if (!module) throw new UnknownDocsModuleError(name, model.modules.map((m) => m.name));
  const lines = [`# ${module.name}${module.shared ? ' (shared)' : ''}`, ''];
  if (module.description) lines.push(module.description, '');
  lines.push(
    `- Folder: \`${module.dir}\``,
    `- Owners: ${module.owners.length > 0 ? module.owners.map(code).join(', ') : '(none declared in module.json)'}`,
    `- Size: ${module.size.files} file${module.size.files === 1 ? '' : 's'}, about ${module.size.lines} lines (tests excluded)`,
    ...(module.shared ? ['- Shared kernel: any module may use it without declaring it'] : []),
    '',
    '## Neighbourhood',
    '',
    '```mermaid',
    renderMermaid(model, { focus: module.name }).trimEnd(),
    '```',
    '',
    'Solid: declared dependency; dotted: event flow; red: open violation; orange dashed: baselined debt; purple: undeclared use; grey dashed: declared but unused.',
    '',
    '## Facades',
    '',
  );
  if (module.facades.length === 0) lines.push('(none)', '');
  for (const facade of module.facades) {
    lines.push(`### ${facade.name}`, '');
    lines.push(...(facade.methods.length > 0 ? ['```ts', ...facade.methods, '```'] : ['(no methods)']), '');
  }
  section(lines, 'Events published', module.publishes.map(code));
  section(lines, 'Events listened to', module.listens.map((e) => `${code(e)}${publishersOf(model, module, e)}`));
  section(lines, 'HTTP routes', module.routes.map(code));
  section(lines, 'Tables', module.tables.map(code));
  section(lines, 'Depends on', module.dependsOn.map((d) => `${link(model, d)}${edgeNote(model, module.name, d)}`));
  const undeclared = model.edges.filter((e) => e.kind === 'dependency' && e.from === module.name && !e.declared && (e.imports.length > 0 || e.calls.length > 0));
  const shared = (name: string): string => (model.modules.find((m) => m.name === name)?.shared ? ' (shared)' : '');
  if (undeclared.length > 0) section(lines, 'Also uses (not in dependsOn)', undeclared.map((e) => `${link(model, e.to)}${shared(e.to)}${edgeNote(model, module.name, e.to)}`));
  section(lines, 'Dependents', module.dependents.map((d) => link(model, d)));
  section(lines, 'Open violations', module.violations.map(violation));
  section(lines, 'Known debt (baselined)', module.debt.map(violation));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The index canvas (README.md of the docs folder): every module, one line each. */
export function renderIndexCanvas(model: DocsModel): string {
  const lines = ['# Modules', '', `${model.modules.length} module${model.modules.length === 1 ? '' : 's'}; the interactive map is [index.html](./index.html).`, '', '```mermaid', renderMermaid(model).trimEnd(), '```', ''];
  lines.push('| module | description | owners | depends on | open violations | debt |', '|---|---|---|---|---|---|');
  for (const m of model.modules) {
    const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    lines.push(
      `| [${m.name}](./${m.name}.md)${m.shared ? ' (shared)' : ''} | ${cell(m.description ?? '')} | ${cell(m.owners.join(', '))} | ${m.dependsOn.join(', ')} | ${m.violations.length} | ${m.debt.length} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function section(lines: string[], title: string, items: readonly string[]): void {
  lines.push(`## ${title}`, '', ...(items.length > 0 ? items.map((item) => `- ${item}`) : ['(none)']), '');
}

function link(model: DocsModel, name: string): string {
  return model.modules.some((m) => m.name === name) ? `[${name}](./${name}.md)` : code(name);
}

/** What lies behind a dependency edge: the facade methods called, the number of imports, its status. */
function edgeNote(model: DocsModel, from: string, to: string): string {
  const e = model.edges.find((x) => x.id === `dependency:${from}->${to}`);
  if (!e) return '';
  const parts = [...(e.calls.length > 0 ? [`calls ${e.calls.map(code).join(', ')}`] : []), `${e.imports.length} import${e.imports.length === 1 ? '' : 's'}`];
  if (e.status !== 'ok') parts.push(`**${e.status}**`);
  return `: ${parts.join('; ')}`;
}

function publishersOf(model: DocsModel, module: DocsModule, event: string): string {
  const from = model.edges.filter((e) => e.kind === 'event' && e.to === module.name && e.events.includes(event)).map((e) => link(model, e.from));
  return from.length > 0 ? ` from ${from.join(', ')}` : '';
}

function violation(v: DocsViolation): string {
  return `${v.severity === 'warn' ? 'warning' : 'error'} \`${v.rule}\` in \`${v.from}\`: ${v.message.replace(/\n/g, ' ')}`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
