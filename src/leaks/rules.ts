/**
 * The rules findLeaks reports, described the way reporters (pretty, SARIF) list rules. Plain data,
 * shaped like the boundary check's rule descriptions so a check plugin can hand them over as is.
 */
export const LEAK_RULES: ReadonlyArray<{ id: string; severity: 'error' | 'warn'; summary: string; why: string }> = [
  {
    id: 'reexports-internals',
    severity: 'error',
    summary: "a module's public index.ts re-exports a symbol declared in another module's private file (also through chains of barrels)",
    why: "it leaks the other module's internals into this module's contract",
  },
  {
    id: 'exposes-entity',
    severity: 'error',
    summary: "a module's public API exports a TypeORM entity, Repository or EntityManager, or a facade/type whose signature hands one out",
    why: 'callers coupled to the tables of a module stop it from changing its schema or moving into its own service',
  },
  {
    id: 'undeclared-dependency',
    severity: 'error',
    summary: 'a module\'s public API re-exports the public API of a module its module.json does not list in "dependsOn"',
    why: 'the declared dependency graph is the architecture; hidden edges make it a lie',
  },
];
