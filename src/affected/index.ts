// Public API of the `affected` module: change-aware testing.
//
//   const result = await findAffected({ rootDir, since: 'origin/main' }); // { changed, affected, reasons, ... }
//   const plan = planTests({ tests: findTestFiles(rootDir, result.model), selected, modules, change: result });
//   await runTests(runnerCommand(rootDir, plan.files), io);
//
// computeAffected and planTests are pure; findAffected asks git and reads the contracts.
export { AffectedError } from './affected-error.js';
export { computeAffected, type Affected, type AffectedInput } from './compute-affected.js';
export { eventEdges, type EventEdge } from './event-edges.js';
export { parseFilesOption } from './explicit-files.js';
export { findAffected, recordedContracts, type FindAffectedOptions } from './load-affected.js';
export { shellKind, TEST_FILE, type ShellKind } from './shell-files.js';
export { findTestFiles, parseCovers, IGNORED_FOLDERS, COVERS_LINES, type TestFile } from './test-files.js';
export { planTests, helperScope, COVERS_FIX, type TestPlan } from './test-plan.js';
export { detectRunner, runnerCommand, formatCommand, runTests, type RunnerCommand, type RunnerName } from './test-runner.js';
