/** One import (or require, re-export, mock, ...) of a source file, as dependency-cruiser resolved it. */
export interface ExtractedDependency {
  /** The module name as written in the source, e.g. `../billing/internal/x.js`. */
  specifier: string;
  /** Project-relative file it resolves to; the specifier itself for npm packages, builtins and unresolvable names. */
  resolved: string;
  /** dependency-cruiser's dependencyTypes (local, npm, core, import, export, type-only, dynamic-import, require, import-equals, exotic-require, aliased, ...). */
  kinds: string[];
  couldNotResolve: boolean;
  /** The call that named it when it is not an import/require, e.g. `jest.mock`. */
  exoticRequire?: string;
  /** 1-based line of the first occurrence of the specifier. */
  line?: number;
}

/** A scanned source file with its content hash (the cache key) and dependencies. */
export interface ExtractedFile {
  path: string;
  hash: string;
  dependencies: ExtractedDependency[];
}

/** A violation of a rule from the user's own dependency-cruiser config (not one of modulith's). */
export interface ForeignViolation {
  rule: string;
  severity: 'error' | 'warn';
  from: string;
  to: string;
}

export interface Extraction {
  /** Every scanned file, sorted by path. */
  files: ExtractedFile[];
  foreignViolations: ForeignViolation[];
  stats: { files: number; extracted: number; cache: 'off' | 'cold' | 'warm' };
}
