import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareContracts, CONTRACT_FILE, hasBreakingChange, parseContract, type ApplicationModules, type Violation } from '../../core/index.js';
import type { BaselineEntry } from '../baseline/baseline.js';

/** How a touched module's contract moved: not at all, compatibly, or in a way its dependents may break on. */
export type ContractMove = 'unchanged' | 'changed' | 'breaking';

export interface ChangedModule {
  name: string;
  contract: ContractMove;
  /** The modules the contract change reaches (their module.json dependsOn lists it); empty when the contract is unchanged. */
  dependents: string[];
  /** Its changed files. */
  files: string[];
}

/** The `changed` key of `modulith check --changed --format json`. */
export interface ChangeSummary {
  files: string[];
  modules: ChangedModule[];
  /** Changed files that belong to no module (app shell, configuration, docs). */
  shell: string[];
  /** Violations in unchanged files: counted, never failing a --changed check. */
  elsewhere: { errors: number; warnings: number };
  /** The commit compared with (merge base with --since REF, else HEAD). */
  base: string | null;
}

export interface ChangedCheck {
  /** Only the violations of the changed files (and the contract violations of touched modules). */
  violations: Violation[];
  stale: BaselineEntry[];
  changed: ChangeSummary;
  /** 1 when a changed file has an error violation (or stale baseline entry) or a touched module's contract changed. */
  exitCode: 0 | 1;
}

const CONTRACT_RULES = new Set(['contract-changed', 'contract-missing']);

/**
 * Scopes a whole-project check result to a change: the modules the changed files belong to, for
 * each whether its contract moved (a contract-changed violation, or its module.api.md in the
 * diff, compared with its text at `base` through `committedContract`) and which dependents that
 * reaches, and the violations in the changed files only.
 */
export function summarizeChanges(input: {
  rootDir: string;
  model: ApplicationModules;
  files: readonly string[];
  violations: readonly Violation[];
  stale: readonly BaselineEntry[];
  base: string | undefined;
  /** The module.api.md text at the base commit (undefined when it did not exist). */
  committedContract?: (path: string) => string | undefined;
}): ChangedCheck {
  const { model, files } = input;
  const changedSet = new Set(files);
  const byModule = new Map<string, string[]>();
  const shell: string[] = [];
  for (const file of files) {
    const module = model.moduleOf(file);
    if (module) byModule.set(module.name, [...(byModule.get(module.name) ?? []), file]);
    else shell.push(file);
  }

  const modules: ChangedModule[] = [...byModule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, own]) => {
      const contract = contractMove(input, name, changedSet);
      return { name, contract, dependents: contract === 'unchanged' ? [] : model.dependentsOf(name).map((d) => d.name).sort(), files: own };
    });

  const inScope = (v: Violation) => changedSet.has(v.from) || (CONTRACT_RULES.has(v.rule) && v.fromModule !== null && byModule.has(v.fromModule));
  const violations = input.violations.filter(inScope);
  const others = input.violations.filter((v) => !inScope(v));
  const stale = input.stale.filter((e) => changedSet.has(e.from));
  const failing = violations.some((v) => v.severity === 'error') || stale.length > 0 || modules.some((m) => m.contract !== 'unchanged');
  return {
    violations,
    stale,
    exitCode: failing ? 1 : 0,
    changed: {
      files: [...files],
      modules,
      shell,
      elsewhere: { errors: others.filter((v) => v.severity === 'error').length, warnings: others.filter((v) => v.severity !== 'error').length },
      base: input.base ?? null,
    },
  };
}

function contractMove(
  input: { rootDir: string; model: ApplicationModules; violations: readonly Violation[]; committedContract?: (path: string) => string | undefined },
  name: string,
  changed: ReadonlySet<string>,
): ContractMove {
  // The code's contract differs from module.api.md: the change moved the contract without recording it.
  const violation = input.violations.find((v) => v.rule === 'contract-changed' && v.fromModule === name);
  if (violation) return violation.changes?.some((c) => c.kind === 'breaking') ? 'breaking' : 'changed';
  // The change recorded a new contract: compare module.api.md with its text at the base commit.
  const module = input.model.get(name);
  const file = module ? `${module.dir}/${CONTRACT_FILE}` : undefined;
  if (!file || !changed.has(file)) return 'unchanged';
  const before = input.committedContract?.(file);
  let after: string | undefined;
  try {
    after = readFileSync(join(input.rootDir, file), 'utf8');
  } catch {
    after = undefined;
  }
  if (before === undefined || after === undefined) return before === after ? 'unchanged' : 'changed';
  const [old, now] = [parseContract(before), parseContract(after)];
  if (!old || !now) return 'changed';
  return hasBreakingChange(compareContracts(old, now)) ? 'breaking' : 'changed';
}
