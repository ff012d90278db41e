import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfigFile } from '../../core/index.js';
import type { BoundaryViolation } from '../analyze/boundary-violation.js';
import { CheckConfigError } from '../config/check-config-error.js';

export const DEFAULT_BASELINE = 'modulith-baseline.json';
/** A baseline holds one short line per violation: a large legacy app has thousands, never this many bytes. */
const BASELINE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * One recorded violation. Keyed by rule, file and target, never by line, so editing code above a
 * violation does not make the entry stale; a module cycle is keyed by its modules.
 */
export interface BaselineEntry {
  rule: string;
  from: string;
  to: string;
  cycle?: string[];
}

export interface Baseline {
  version: 1;
  violations: BaselineEntry[];
}

export function baselineKey(entry: BaselineEntry): string {
  return entry.cycle ? `${entry.rule}|${entry.cycle.join('>')}` : `${entry.rule}|${entry.from}|${entry.to}`;
}

/** Today's failing violations as a baseline: warnings never fail, so they are not recorded. */
export function createBaseline(violations: readonly BoundaryViolation[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const v of violations) {
    if (v.severity !== 'error') continue;
    const entry: BaselineEntry = { rule: v.rule, from: v.from, to: v.to, ...(v.cycle ? { cycle: v.cycle } : {}) };
    entries.set(baselineKey(entry), entry);
  }
  return { version: 1, violations: sortEntries([...entries.values()]) };
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  return entries.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.rule.localeCompare(b.rule));
}

/** One entry per line, sorted: a new or fixed violation is a one-line diff. */
export function formatBaseline(baseline: Baseline): string {
  const lines = baseline.violations.map((e) => `    ${JSON.stringify(e, ['rule', 'from', 'to', 'cycle'])}`);
  return `{\n  "version": 1,\n  "violations": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

export function writeBaseline(rootDir: string, file: string, baseline: Baseline): void {
  writeFileSync(resolve(rootDir, file), formatBaseline(baseline));
}

/** Reads a baseline; `required` (an explicit --baseline) makes a missing file a configuration error. */
export function readBaseline(rootDir: string, file: string, required: boolean): Baseline | undefined {
  const absFile = resolve(rootDir, file);
  const read = readConfigFile(absFile, file, { maxBytes: BASELINE_MAX_BYTES, expected: 'the baseline (`modulith baseline` writes it)' });
  if (read.kind === 'missing') {
    if (!required) return undefined;
    throw new CheckConfigError([{ file, message: 'does not exist', fix: 'run `modulith baseline` to create it, or correct the --baseline path' }]);
  }
  if (read.kind === 'problem') throw new CheckConfigError([read.problem]);
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (error) {
    throw new CheckConfigError([{ file, message: `is not valid JSON (${(error as Error).message})`, fix: 'run `modulith baseline` to write it again' }]);
  }
  const list = (data as { violations?: unknown })?.violations;
  const valid =
    Array.isArray(list) &&
    list.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.rule === 'string' &&
        typeof e.from === 'string' &&
        typeof e.to === 'string' &&
        (e.cycle === undefined || (Array.isArray(e.cycle) && e.cycle.every((m: unknown) => typeof m === 'string'))),
    );
  if (!valid) {
    throw new CheckConfigError([
      { file, message: 'is not a modulith baseline (expected { "version": 1, "violations": [{ "rule", "from", "to" }] })', fix: 'run `modulith baseline` to write it again' },
    ]);
  }
  return { version: 1, violations: list as BaselineEntry[] };
}

export interface BaselineOutcome {
  /** Violations the baseline does not know: these fail the check (when errors). */
  violations: BoundaryViolation[];
  /** How many violations the baseline suppressed. */
  known: number;
  /** Baseline entries that no longer occur: they fail the check until the baseline is rewritten (it only ratchets down). */
  stale: BaselineEntry[];
}

export function applyBaseline(violations: readonly BoundaryViolation[], baseline: Baseline | undefined): BaselineOutcome {
  if (!baseline) return { violations: [...violations], known: 0, stale: [] };
  const recorded = new Set(baseline.violations.map(baselineKey));
  const seen = new Set<string>();
  const fresh: BoundaryViolation[] = [];
  for (const v of violations) {
    const key = baselineKey({ rule: v.rule, from: v.from, to: v.to, cycle: v.cycle });
    if (v.severity === 'error' && recorded.has(key)) seen.add(key);
    else fresh.push(v);
  }
  return {
    violations: fresh,
    known: violations.length - fresh.length,
    stale: sortEntries(baseline.violations.filter((e) => !seen.has(baselineKey(e)))),
  };
}
