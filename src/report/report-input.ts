import type { Violation } from '../core/index.js';

/** A baseline entry that no longer occurs. */
export interface StaleEntry {
  rule: string;
  from: string;
  to: string;
  cycle?: string[];
}

/** What a rule is, for reporters that describe rules (pretty's "why", SARIF's rule metadata). */
export interface RuleInfo {
  id: string;
  severity: 'error' | 'warn';
  summary: string;
  why: string;
}

/**
 * Everything a reporter may print. The boundary check's result has this shape; reporters depend on
 * nothing else, so any producer of violations (leak detection, a future DI check) can use them.
 */
export interface ReportInput {
  violations: readonly (Violation & { cycle?: string[] })[];
  known: number;
  stale: readonly StaleEntry[];
  rules: readonly RuleInfo[];
  /** Absolute project root (SARIF anchors its relative paths there). */
  rootDir?: string;
  baselineFile?: string;
  stats?: { files: number; modules: number; durationMs: number };
}

/** A reporter is a pure function from a result to the text printed on stdout. */
export type Reporter = (input: ReportInput) => string;

export const STALE_RULE: RuleInfo = {
  id: 'stale-baseline-entry',
  severity: 'error',
  summary: 'a baseline entry no longer occurs',
  why: 'the baseline only ratchets down: record the improvement with `modulith baseline` so the violation cannot come back unnoticed',
};

export function describeStale(entry: StaleEntry): string {
  const what = entry.cycle ? `module cycle ${[...entry.cycle, entry.cycle[0]].join(' -> ')}` : `${entry.rule} ${entry.from} -> ${entry.to}`;
  return `${what} is in the baseline but no longer occurs; run \`modulith baseline\` to record the improvement`;
}

export function countLabel(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
