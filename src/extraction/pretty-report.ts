import type { ExtractionReport, Finding, SourceLocation } from './extraction-report.js';

/**
 * The report for people: what will cross the broker (facades served and called, tables, events,
 * dependencies), then the blockers and warnings with their place and fix, then one summary line.
 */
export function prettyExtractionReport(report: ExtractionReport): string {
  const name = report.module;
  const out: string[] = [`modulith extract ${name}`, ''];

  out.push('Facades it serves over the broker');
  if (report.facades.length === 0) out.push('  none');
  for (const facade of report.facades) {
    const decorator = facade.declaredMethods === null ? '  (no @Facade)' : '';
    out.push(`  ${facade.name}  ${at(facade)}${decorator}`);
    for (const method of facade.methods) {
      const blocked = !method.async || method.issues.some((i) => i.severity === 'blocker');
      const warned = method.issues.length > 0;
      out.push(`    ${blocked ? '✖' : warned ? '⚠' : '✔'} ${method.signature}`);
    }
  }

  out.push('', 'Facades it calls remotely');
  if (report.remoteCalls.length === 0) out.push('  none');
  for (const call of report.remoteCalls) out.push(`  ${call.facade} (${call.module})${methods(call.methods)}  ${sites(call.sites)}`);

  out.push('', 'Modules that call it remotely');
  if (report.callers.length === 0 && report.dependents.length === 0) out.push('  none');
  for (const caller of report.callers) out.push(`  ${caller.caller} → ${caller.facade}${methods(caller.methods)}  ${sites(caller.sites)}`);
  for (const dependent of report.dependents) out.push(`  ${dependent} (declares it but injects none of its facades)`);

  out.push('', 'Tables it owns (they move to its own database)');
  if (report.tables.length === 0) out.push('  none');
  for (const table of report.tables) {
    const shared = table.sharedWith.length ? `  shared with ${[...new Set(table.sharedWith.map((s) => s.module))].join(', ')}` : '';
    out.push(`  ${table.table}  ${table.entity}  ${at(table)}${shared}`);
  }
  for (const foreign of report.foreignTables) out.push(`  uses ${foreign.module}'s ${foreign.table} (${foreign.entity})  ${at(foreign)}`);

  out.push('', 'Events it publishes (over the broker)');
  if (report.events.publishes.length === 0) out.push('  none');
  for (const event of report.events.publishes) {
    const consumers = event.consumers.length ? `  → ${event.consumers.map((c) => `${c.module} (${c.listener})`).join(', ')}` : '  (no listener in another module)';
    out.push(`  ${event.name ?? '?'} v${event.version ?? '?'}  ${event.class} (declared in ${event.declaredIn})${consumers}`);
  }
  out.push('', 'Events it consumes (over the broker)');
  if (report.events.consumes.length === 0) out.push('  none');
  for (const event of report.events.consumes) {
    const publishers = event.publishers.length ? `  ← ${event.publishers.join(', ')}` : '';
    out.push(`  ${event.name ?? '?'} v${event.version ?? '?'}  ${event.listener}  ${at(event)}${publishers}`);
  }

  const deps = report.dependencies;
  out.push('', 'Dependencies');
  out.push(`  declared: ${list(deps.declared)}`);
  out.push(`  used in code: ${list(deps.used.map((d) => (deps.shared.includes(d) ? `${d} (shared: both processes include it)` : d)))}`);
  if (deps.undeclared.length) out.push(`  undeclared: ${deps.undeclared.join(', ')}`);

  const blockers = report.findings.filter((f) => f.severity === 'blocker');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  if (blockers.length) out.push('', 'Blockers', ...blockers.flatMap(finding));
  if (warnings.length) out.push('', 'Warnings', ...warnings.flatMap(finding));

  out.push('');
  out.push(
    report.ready
      ? `✔ ${name} is ready to run in its own process${report.warnings ? ` (${count(report.warnings, 'warning')})` : ''}`
      : `✖ ${name} is not ready: ${count(report.blockers, 'blocker')}, ${count(report.warnings, 'warning')}`,
  );
  return `${out.join('\n')}\n`;
}

function finding(f: Finding): string[] {
  return [`  ${f.severity === 'blocker' ? '✖' : '⚠'} ${f.file}${f.line ? `:${f.line}` : ''}  ${f.kind}`, `    ${f.message}`, `    fix: ${f.fix}`];
}

function at(location: SourceLocation | undefined): string {
  return location ? `${location.file}:${location.line}` : '';
}

/** The first place, and how many more. */
function sites(locations: SourceLocation[]): string {
  return `${at(locations[0])}${locations.length > 1 ? ` (+${locations.length - 1} more)` : ''}`;
}

function methods(names: string[]): string {
  return names.length ? `: ${names.join(', ')}` : '';
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : 'none';
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
