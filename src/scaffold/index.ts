// Public API of the `scaffold` module: the file-writing side of the `modulith` command.
//
// - initProject(rootDir, { modules? }): `modulith init`. Adopts an existing Nest app (or sets up
//   a fresh one without modules: `fresh`) and returns what it wrote (`written`), left alone
//   (`skipped`), the module edges it had to leave out of dependsOn to break cycles (`dropped`) and
//   `runBaseline`: when true the CLI runs `modulith baseline` next, so that `modulith check` exits
//   0 right after init.
// - newModule(rootDir, name, { dependsOn? }): `modulith new NAME --depends-on a,b`. Scaffolds a
//   sealed module in the first modules root (setting one up on a fresh app) and returns the files
//   written.
// - noModulesHint(rootDir): what `modulith check` suggests for a project without a module yet
//   (`modulith new`, or `modulith init` when Nest modules wait to be adopted).
//
// Both init and new also make nest-cli.json copy module.json files into dist/ on `nest build`.
// Both throw ModuleModelError (from core) whose problems name the file and the fix; both are
// idempotent about existing files (never overwrite a module.json, index.ts or depcruise config).
export { initProject, BASELINE_FILE, type InitOptions, type InitResult, type InitModule } from './init.js';
export { newModule, MODULE_NAME, type NewModuleOptions, type NewModuleResult } from './new-module.js';
export { noModulesHint } from './project-layout.js';
export type { DroppedDependency } from './break-cycles.js';
export type { ModuleEdge } from './import-graph.js';
