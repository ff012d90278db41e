// The check kept in memory: `modulith check --watch`, and anything that wants fresh violations after each edit.
export { CheckEngine, diffViolations, type CheckEngineOptions, type EngineRun } from './check-engine.js';
export { watchCheck, type WatchCheckOptions, type WatchSession } from './watch-check.js';
export { watchFiles, type FilesWatcher, type WatchFilesOptions } from './watch-files.js';
