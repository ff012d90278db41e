import { loadApplicationModules } from '../../core/index.js';
import { runCheck, type CheckOptions, type CheckResult } from '../check.js';
import { loadCheckConfig } from '../config/load-config.js';
import { changedFiles, fileAt } from './changed-files.js';
import { summarizeChanges, type ChangedCheck } from './changes-summary.js';

/**
 * `modulith check --changed [--since REF]` as a function: asks git what changed (ChangesError,
 * exit 2, when it cannot: not a repository, unknown or hostile REF), runs the whole check (its
 * cache makes that fast) and scopes the result to the change.
 */
export async function runChangedCheck(options: CheckOptions & { since?: string }): Promise<{ result: CheckResult } & ChangedCheck> {
  const rootDir = options.rootDir ?? process.cwd();
  const change = changedFiles(rootDir, options.since !== undefined ? { since: options.since } : {});
  const result = await runCheck({ ...options, rootDir });
  const config = await loadCheckConfig(rootDir, { tsConfig: options.tsConfig });
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
  const scoped = summarizeChanges({
    rootDir,
    model,
    files: change.files,
    violations: result.violations,
    stale: result.stale,
    base: change.base,
    committedContract: (path) => (change.base ? fileAt(rootDir, change.base, change.prefix, path) : undefined),
  });
  return { result, ...scoped };
}
