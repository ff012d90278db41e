import type { FacadeSection } from '../core/index.js';
import type { FileContext, ModuleContext } from './context.js';

const CHECK_CHANGED = 'npx modulith check --changed';
/** Why `check --changed` comes first (shared with the generated AGENTS.md files). */
export const CHECK_CHANGED_NOTE =
  '`npx modulith check --changed` is the fast check of what the working tree changed: it ends with a summary per touched module (only internals changed, or its contract and the dependents that reaches) and the violations in the changed files. Then run the whole check.';

/** The brief as Markdown, compact enough for a prompt (`modulith context NAME`). */
export function renderContext(ctx: ModuleContext): string {
  const lines: string[] = [];
  const code = (entries: readonly string[]): void => {
    if (entries.length === 0) return;
    lines.push('```ts', ...entries, '```');
  };
  const facades = (sections: readonly FacadeSection[]): void => {
    for (const f of sections) {
      lines.push(`Facade ${f.name}:`);
      code(f.methods.map((m) => m.text));
    }
  };

  lines.push(`# Module ${ctx.module}: brief for a coding agent`, '');
  if (ctx.description) lines.push(ctx.description, '');
  const facts = [
    `- Folder: ${ctx.dir}/ (${ctx.files.count} source file${ctx.files.count === 1 ? '' : 's'}${ctx.files.list.length > 0 ? `: ${ctx.files.list.join(', ')}${ctx.files.truncated ? ', ...' : ''}` : ''})`,
    `- Public API: ${ctx.entry ?? `${ctx.dir}/index.ts (missing)`}`,
  ];
  if (ctx.shared) facts.push('- Shared kernel: every module may use it without declaring it; it may use only other shared modules.');
  if (ctx.owners.length > 0) facts.push(`- Owners: ${ctx.owners.join(' ')}`);
  lines.push(...facts, '');

  lines.push('## Rules', '', ...ctx.rules.map((r) => `- ${r}`), '');

  lines.push(`## Its contract (${ctx.contract.file}${ctx.contract.source === 'computed' ? ', computed: the file is missing' : ctx.contract.source === 'none' ? ': none yet' : ''})`, '');
  facades(ctx.contract.facades);
  const ownSections: [string, string[]][] = [
    ['Public API (index.ts)', ctx.contract.exports],
    ['Events published', ctx.contract.publishes],
    ['Events listened to', ctx.contract.listens],
    ['HTTP routes', ctx.contract.routes],
  ];
  for (const [title, entries] of ownSections) {
    if (entries.length === 0) continue;
    lines.push(`${title}:`);
    code(entries);
  }
  if (ctx.contract.facades.length === 0 && ownSections.every(([, e]) => e.length === 0)) lines.push('(empty)');
  lines.push('');

  lines.push('## What it may use (their contracts only: import from their index.ts, never from inside their folders)', '');
  if (ctx.mayUse.length === 0) lines.push('(no other module)', '');
  for (const m of ctx.mayUse) {
    lines.push(`### ${m.module} (${m.via === 'declared' ? 'declared dependency' : 'shared'}; import from ${m.entry ?? `${m.module}'s index.ts`})`, '');
    if (m.description) lines.push(m.description, '');
    facades(m.facades);
    if (m.exports.length > 0) {
      lines.push('Public API:');
      code(m.exports);
    }
    if (m.publishes.length > 0) {
      lines.push('Events published:');
      code(m.publishes);
    }
    if (m.contractSource === 'none') lines.push(`(no contract: see ${m.entry ?? 'its index.ts'})`);
    lines.push('');
  }

  lines.push('## Events it may listen to', '');
  if (ctx.mayListenTo.length === 0) lines.push('(none)');
  for (const e of ctx.mayListenTo) lines.push(`- ${e.event} (published by ${e.from})`);
  lines.push('');

  lines.push('## Who depends on it (a contract change reaches them)', '');
  if (ctx.dependents.length === 0) lines.push(ctx.shared ? '(no declared dependent; as a shared module any module may use it)' : '(none: only the app shell)');
  for (const d of ctx.dependents) {
    lines.push(d.via === 'declared' ? `- ${d.module} (${d.dir}): declares a dependency on ${ctx.module}` : `- ${d.module} (${d.dir}): listens to ${d.events?.join(', ')}`);
  }
  lines.push('');

  if (ctx.tables.length > 0) {
    lines.push('## Its tables (no other module may read or write them)', '');
    for (const t of ctx.tables) lines.push(`- ${t.table ?? '(default name)'}: entity ${t.entity} (${t.file})`);
    lines.push('');
  }

  lines.push('## Verify a change', '');
  if (ctx.verify.includes(CHECK_CHANGED)) lines.push(CHECK_CHANGED_NOTE, '');
  lines.push('```sh', ...ctx.verify, '```', '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `modulith context --file PATH` as Markdown: where the file belongs, then its module's brief. */
export function renderFileContext(fc: FileContext): string {
  if (fc.context) return `${fc.file} belongs to module ${fc.module}.\n\n${renderContext(fc.context)}`;
  return [`# ${fc.file}: app-shell code`, '', ...(fc.shellRules ?? []).map((r) => `- ${r}`), ''].join('\n');
}
