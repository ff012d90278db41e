import { countLabel, describeStale, STALE_RULE, type ReportInput } from './report-input.js';

/**
 * GitHub Actions workflow commands: each violation becomes an annotation on its file and line in
 * the pull request (`::error file=...,line=...,title=...::message`).
 */
export function githubReport(input: ReportInput): string {
  const lines = input.violations.map((v) =>
    command(v.severity === 'error' ? 'error' : 'warning', { file: v.from, line: v.line, title: `modulith ${v.rule}` }, `${v.message}. Fix: ${v.fix}`),
  );
  for (const entry of input.stale) {
    lines.push(command('error', { file: input.baselineFile, title: `modulith ${STALE_RULE.id}` }, describeStale(entry)));
  }
  const errors = input.violations.filter((v) => v.severity === 'error').length;
  lines.push(
    `modulith check: ${countLabel(errors, 'error')}, ${countLabel(input.violations.length - errors, 'warning')}, ${input.known} known, ${input.stale.length} stale`,
  );
  return `${lines.join('\n')}\n`;
}

function command(kind: 'error' | 'warning', properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${kind} ${props}::${escapeData(message)}`;
}

// The escaping GitHub's runner applies (actions/toolkit, command.ts).
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
