import type { Violation } from '../../core/index.js';

/** A core Violation plus what the check alone knows. */
export interface BoundaryViolation extends Violation {
  /** module-cycle only: the modules of the cycle, starting at the smallest name. */
  cycle?: string[];
}

/** Stable order for every report: by module, file, line, rule, target. */
export function compareViolations(a: BoundaryViolation, b: BoundaryViolation): number {
  return (
    (a.fromModule ?? '').localeCompare(b.fromModule ?? '') ||
    a.from.localeCompare(b.from) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    a.rule.localeCompare(b.rule) ||
    a.to.localeCompare(b.to)
  );
}
