import { countLabel, describeStale, type ReportInput } from './report-input.js';

const DIFF_LINES = 16;

/**
 * The default, for people: violations grouped by module, each with its place, rule, message, why
 * and fix, then one summary line.
 */
export function prettyReport(input: ReportInput): string {
  const why = new Map(input.rules.map((r) => [r.id, r.why]));
  const groups = new Map<string, ReportInput['violations'][number][]>();
  for (const v of input.violations) {
    const group = v.fromModule ?? (v.rule === 'orphan-file' ? 'no module' : 'app shell');
    groups.set(group, [...(groups.get(group) ?? []), v]);
  }
  const lines: string[] = [];
  for (const [group, violations] of groups) {
    lines.push(group);
    for (const v of violations) {
      lines.push(`  ${v.severity === 'error' ? '✖' : '⚠'} ${v.from}${v.line ? `:${v.line}` : ''}  ${v.rule}${v.severity === 'warn' ? ' (warning)' : ''}`);
      lines.push(`    ${v.message}`);
      // A changed contract: its changed entries, as committed (-) and as the code has them now (+).
      if (v.diff?.length) {
        const shown = v.diff.slice(0, DIFF_LINES);
        lines.push(...shown.map((d) => `      ${d}`));
        if (v.diff.length > shown.length) lines.push(`      ... ${v.diff.length - shown.length} more lines (modulith contracts --check shows them all)`);
      }
      if (why.has(v.rule)) lines.push(`    why: ${why.get(v.rule)}`);
      lines.push(`    fix: ${v.fix}`);
    }
    lines.push('');
  }
  if (input.stale.length > 0) {
    lines.push(`stale baseline entries (${input.baselineFile ?? 'baseline'})`);
    for (const entry of input.stale) lines.push(`  ✖ ${describeStale(entry)}`);
    lines.push('');
  }
  lines.push(summary(input));
  return `${lines.join('\n')}\n`;
}

function summary(input: ReportInput): string {
  const errors = input.violations.filter((v) => v.severity === 'error').length;
  const warnings = input.violations.length - errors;
  const modules = new Set(input.violations.map((v) => v.fromModule ?? '')).size;
  const parts: string[] = [];
  if (input.stats) parts.push(`${countLabel(input.stats.files, 'file')} in ${countLabel(input.stats.modules, 'module')} checked in ${input.stats.durationMs} ms`);
  if (input.known > 0) parts.push(`${input.known} known violation${input.known === 1 ? '' : 's'} suppressed by ${input.baselineFile ?? 'the baseline'}`);
  if (input.stale.length > 0) parts.push(countLabel(input.stale.length, 'stale baseline entry').replace('entrys', 'entries'));
  const detail = parts.length ? ` (${parts.join('; ')})` : '';
  if (errors === 0 && input.stale.length === 0) {
    return `✔ no boundary violations${warnings ? `, ${countLabel(warnings, 'warning')}` : ''}${detail}`;
  }
  return `✖ ${countLabel(errors, 'error')}, ${countLabel(warnings, 'warning')} in ${countLabel(modules, 'module')}${detail}`;
}
