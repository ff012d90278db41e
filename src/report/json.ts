import type { ReportInput } from './report-input.js';

/**
 * The machine contract of PRODUCT.md: `{ violations: [{ rule, from, to, fromModule, toModule,
 * message }], known, stale }`. Those keys come first and never change; severity, line, fix and
 * cycle (module-cycle) and changes (contract-changed: kind, section, member, what) follow as extras.
 */
export function jsonReport(input: ReportInput): string {
  const output = {
    violations: input.violations.map((v) => ({
      rule: v.rule,
      from: v.from,
      to: v.to,
      fromModule: v.fromModule,
      toModule: v.toModule,
      message: v.message,
      severity: v.severity,
      ...(v.line !== undefined ? { line: v.line } : {}),
      fix: v.fix,
      ...(v.cycle ? { cycle: v.cycle } : {}),
      ...(v.changes ? { changes: v.changes } : {}),
    })),
    known: input.known,
    stale: input.stale.map((e) => ({ rule: e.rule, from: e.from, to: e.to, ...(e.cycle ? { cycle: e.cycle } : {}) })),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
