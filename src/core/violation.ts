/**
 * One boundary violation found by `modulith check`: the unit every reporter prints and the
 * baseline records. `from`/`to` are project-relative paths with `/` separators.
 * The JSON reporter prints exactly these fields (see PRODUCT.md: rule, from, to, fromModule,
 * toModule, message); the others feed the pretty, GitHub and SARIF reporters.
 */
export interface Violation {
  rule: string;
  severity: 'error' | 'warn';
  from: string;
  to: string;
  fromModule: string | null;
  toModule: string | null;
  message: string;
  /** How to fix it, one line. */
  fix: string;
  /** 1-based line in `from`, when known. */
  line?: number;
  /** contract-changed only: what changed in the module's contract, each change classified (JSON and SARIF carry it). */
  changes?: ViolationChange[];
  /** contract-changed only: the changed contract entries, `- ` as committed and `+ ` as computed (pretty prints it). */
  diff?: string[];
}

/** One change of a module's contract, as a violation carries it. */
export interface ViolationChange {
  kind: 'breaking' | 'compatible';
  section: string;
  member: string;
  what: string;
}

/** The order a file-by-file analysis lists its violations in: by file, line, rule, target, message. */
export function compareByLocation(a: Violation, b: Violation): number {
  return a.from.localeCompare(b.from) || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule) || a.to.localeCompare(b.to) || a.message.localeCompare(b.message);
}
