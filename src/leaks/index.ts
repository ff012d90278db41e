// Public API of the `leaks` module: symbol-level leak detection over modules' public APIs.
//
//   const violations = findLeaks(loadApplicationModules(rootDir), { cacheFile: '.modulith-cache/leaks.json' });
//
// Rules it reports (all severity 'error', `from` = the module's index.ts, `line` = the export
// statement there):
// - reexports-internals: the index re-exports (directly or through `export *` / `export { x as y }`
//   chains of barrels) a symbol declared in a private file of another module that that module does
//   not publish itself. `to` = the declaring file.
// - undeclared-dependency: the index re-exports another module's PUBLIC symbols (allowed when
//   dependsOn declares that module or it is shared), but dependsOn does not declare it. One
//   violation per pair of modules, `to` = the other module's index.ts. Same rule id as the import
//   check's, which reports the re-export statement itself; this one names the symbols and also
//   catches re-exports made through a chain of barrels.
// - exposes-entity: the index exports a TypeORM entity or Repository/EntityManager, or an exported
//   class/interface/function/type mentions one in its signature (one level deep). `to` = the
//   entity's file (or the file declaring the repository value/type).
export { findLeaks, type FindLeaksOptions } from './find-leaks.js';
export { LEAK_RULES } from './rules.js';
// Helpers the scaffolder (and the CLI) share: the project's tsconfig as TypeScript reads it.
export { readCompilerOptions, usesJsExtensions, type ProjectCompilerOptions } from './tsconfig.js';
export { createAnalysisProgram, type AnalysisScope } from './program.js';
