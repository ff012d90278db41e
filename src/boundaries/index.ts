// The boundary check: public API of the `boundaries` module.
export { runCheck, type CheckOptions, type CheckResult, type CheckPlugin } from './check.js';
// Where check keeps its caches (node_modules/.cache/modulith, else .modulith-cache): plugins' and commands' caches go there too.
export { defaultCacheDir } from './extract/extraction-cache.js';
export { RULES, describeRule, isModulithRule, type RuleDescription, type RuleId } from './rules.js';
export type { BoundaryViolation } from './analyze/boundary-violation.js';
export {
  DEFAULT_BASELINE,
  createBaseline,
  formatBaseline,
  writeBaseline,
  readBaseline,
  applyBaseline,
  baselineKey,
  type Baseline,
  type BaselineEntry,
  type BaselineOutcome,
} from './baseline/baseline.js';
export { modulithRules, cruiseOptionsFor, type ModulithConfiguration } from './config/modulith-rules.js';
export { MODULITH_OPTIONS, type ModulithRulesOptions, type ModulithOptions } from './config/modulith-options.js';
export { CheckConfigError, isConfigurationError } from './config/check-config-error.js';
export { loadCheckConfig, CONFIG_FILES, type CheckConfig } from './config/load-config.js';
export { CheckEngine, diffViolations, watchCheck, watchFiles, type CheckEngineOptions, type EngineRun, type WatchCheckOptions, type WatchSession, type FilesWatcher, type WatchFilesOptions } from './watch/index.js';
// `modulith check --changed [--since REF]`: the check scoped to what git says changed.
export { runChangedCheck } from './changes/check-changes.js';
export { changedFiles, fileAt, validateRef, ChangesError, type ChangedFiles } from './changes/changed-files.js';
export { summarizeChanges, type ChangeSummary, type ChangedModule, type ChangedCheck, type ContractMove } from './changes/changes-summary.js';
