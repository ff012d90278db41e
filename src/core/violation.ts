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
}
