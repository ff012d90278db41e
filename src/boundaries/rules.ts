/**
 * The rules `modulith check` reports, by stable id. Ids are a contract: they appear in JSON, SARIF,
 * GitHub annotations and baselines, so they are never renamed (add new ones instead).
 */
export type RuleId =
  | 'deep-import'
  | 'undeclared-dependency'
  | 'module-cycle'
  | 'shared-imports-module'
  | 'shell-imports-internals'
  | 'test-mocks-internals'
  | 'reexports-internals'
  | 'unresolved-import'
  | 'orphan-file'
  | 'unused-dependency';

export interface RuleDescription {
  id: RuleId | string;
  severity: 'error' | 'warn';
  /** One line: what the rule forbids. */
  summary: string;
  /** One line: why it matters. */
  why: string;
}

export const RULES: readonly RuleDescription[] = [
  {
    id: 'deep-import',
    severity: 'error',
    summary: "a module imports another module's internal file instead of its public index.ts",
    why: 'internals change without notice; only the public API is a contract between modules',
  },
  {
    id: 'undeclared-dependency',
    severity: 'error',
    summary: 'a module imports the public API of a module its module.json does not list in "dependsOn"',
    why: 'the declared dependency graph is the architecture; hidden edges make it a lie',
  },
  {
    id: 'module-cycle',
    severity: 'error',
    summary: 'the imports between modules, or their declared "dependsOn", form a cycle (at module level, even when no file-level cycle exists)',
    why: 'modules in a cycle cannot be understood, tested or extracted one at a time',
  },
  {
    id: 'shared-imports-module',
    severity: 'error',
    summary: 'a shared module imports a non-shared module',
    why: 'a shared kernel is used by everyone, so it may only depend on other shared modules',
  },
  {
    id: 'shell-imports-internals',
    severity: 'error',
    summary: "app-shell code (outside every module) imports a module's internal file",
    why: 'the app shell wires modules together through their public APIs only',
  },
  {
    id: 'test-mocks-internals',
    severity: 'error',
    summary: "a test mocks another module's internal file (jest.mock, jest.unstable_mockModule, vi.mock, ...)",
    why: "mocking internals couples the test to another module's implementation; mock its public API",
  },
  {
    id: 'reexports-internals',
    severity: 'error',
    summary: "a module's public index.ts re-exports another module's internals",
    why: "it leaks the other module's internals into this module's contract",
  },
  {
    id: 'unresolved-import',
    severity: 'error',
    summary: 'an import in a module resolves to no file',
    why: 'an import that resolves nowhere cannot be checked and breaks at build or run time',
  },
  {
    id: 'orphan-file',
    severity: 'error',
    summary: 'a subfolder of a modules root holds code but no module.json',
    why: 'code in no module is sealed by nothing: every module may reach into it',
  },
  {
    id: 'unused-dependency',
    severity: 'warn',
    summary: 'module.json declares a dependency that no file of the module imports',
    why: 'a stale declaration hides the real shape of the dependency graph',
  },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The description of a rule id; rules from a user's own dependency-cruiser config get a generic one. */
export function describeRule(id: string): RuleDescription {
  return (
    BY_ID.get(id) ?? {
      id,
      severity: 'error',
      summary: `rule '${id}' from .dependency-cruiser.js`,
      why: 'a rule your own dependency-cruiser configuration declares',
    }
  );
}

/** True for modulith's rule ids and the qualified names of the dependency-cruiser rules generated for them (`undeclared-dependency/orders`). */
export function isModulithRule(name: string): boolean {
  return BY_ID.has(name.split('/')[0]);
}
