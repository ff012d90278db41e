import type { BoundaryViolation } from '../boundaries/index.js';
import type { ApplicationModule, ApplicationModules } from '../core/index.js';
import type { CodeDependency } from './code-dependencies.js';
import type { ConsumedEvent, DependencyReport, ExtractionReport, FacadeContract, FacadeUse, Finding, ForeignTableUse, OwnedTable, PublishedEvent } from './extraction-report.js';

/** Everything the analyses found about one module, before it is judged. */
export interface ReadinessInput {
  model: ApplicationModules;
  module: ApplicationModule;
  facades: FacadeContract[];
  remoteCalls: FacadeUse[];
  callers: FacadeUse[];
  tables: OwnedTable[];
  foreignTables: ForeignTableUse[];
  events: { publishes: PublishedEvent[]; consumes: ConsumedEvent[] };
  codeDependencies: CodeDependency[];
  /** Findings of the facade, table and event analyses (the served facades' and the called ones'). */
  findings: Finding[];
  /** The boundary check's result: every violation found, and those the baseline did not suppress. */
  check: { found: readonly BoundaryViolation[]; reported: readonly BoundaryViolation[] };
}

/**
 * Judges the facts: adds the boundary violations from or into the module (baselined ones too:
 * the baseline tolerates coupling in the monolith, a process boundary does not), dependencies in
 * code that module.json does not declare, and a shared module's refusal; counts blockers and
 * warnings. Pure.
 */
export function assessReadiness(input: ReadinessInput): ExtractionReport {
  const { model, module } = input;
  const name = module.name;
  const findings = [...input.findings];

  if (module.shared) {
    findings.push({
      severity: 'blocker',
      kind: 'shared-module',
      module: name,
      file: module.manifest,
      message: `${name} is a shared module: every module that uses it compiles it in, so it has no process of its own to move to`,
      fix: `extract the modules that use ${name} instead, or drop "shared": true and give ${name} a facade`,
    });
  }

  const reported = new Set(input.check.reported);
  const involved = input.check.found.filter((v) => v.fromModule === name || v.toModule === name || v.cycle?.includes(name));
  for (const v of involved) {
    const baselined = !reported.has(v);
    findings.push({
      severity: v.severity === 'error' ? 'blocker' : 'warning',
      kind: 'boundary-violation',
      module: v.fromModule ?? 'app shell',
      file: v.from,
      ...(v.line !== undefined ? { line: v.line } : {}),
      message: `${v.rule}: ${v.message}${baselined ? ' (baselined, so `modulith check` passes, but a process boundary does not tolerate it)' : ''}`,
      fix: v.fix,
    });
  }

  const sharedUsed: string[] = [];
  const undeclared: string[] = [];
  for (const dependency of input.codeDependencies) {
    const target = model.get(dependency.module);
    if (!target) continue;
    if (target.shared) {
      sharedUsed.push(target.name);
      continue;
    }
    if (module.dependsOn.includes(target.name)) continue;
    undeclared.push(target.name);
    const alreadyReported = involved.some((v) => v.fromModule === name && v.toModule === target.name && v.severity === 'error');
    if (alreadyReported) continue;
    findings.push({
      severity: 'blocker',
      kind: 'undeclared-dependency',
      module: name,
      file: dependency.file,
      line: dependency.line,
      message:
        dependency.via === 'event'
          ? `${name} listens to an event of ${target.name}, but ${module.manifest} does not declare "${target.name}" in dependsOn`
          : `${name} uses ${target.name}, but ${module.manifest} does not declare "${target.name}" in dependsOn`,
      fix: `add "${target.name}" to "dependsOn" in ${module.manifest} (the extracted service must know every module it talks to)`,
    });
  }

  const dependencies: DependencyReport = {
    declared: [...module.dependsOn],
    used: input.codeDependencies.map((d) => d.module),
    undeclared,
    shared: sharedUsed,
    violations: involved.map((v) => ({
      rule: v.rule,
      severity: v.severity,
      from: v.from,
      to: v.to,
      fromModule: v.fromModule,
      toModule: v.toModule,
      ...(v.line !== undefined ? { line: v.line } : {}),
      message: v.message,
      baselined: !reported.has(v),
    })),
  };

  const sorted = dedupe(findings).sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.module === name ? 0 : 1) - (b.module === name ? 0 : 1) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.message.localeCompare(b.message),
  );
  const blockers = sorted.filter((f) => f.severity === 'blocker').length;
  const callers = new Set(input.callers.map((c) => c.caller));
  return {
    module: name,
    ready: blockers === 0,
    blockers,
    warnings: sorted.length - blockers,
    findings: sorted,
    facades: input.facades,
    remoteCalls: input.remoteCalls,
    callers: input.callers,
    dependents: model.dependentsOf(name).map((m) => m.name).filter((m) => !callers.has(m)),
    tables: input.tables,
    foreignTables: input.foreignTables,
    events: input.events,
    dependencies,
  };
}

function rank(finding: Finding): number {
  return finding.severity === 'blocker' ? 0 : 1;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.severity}\0${f.kind}\0${f.file}\0${f.line ?? ''}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
