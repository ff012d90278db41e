import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedFiles, defaultCacheDir, fileAt, loadCheckConfig, summarizeChanges, type ContractMove } from '../boundaries/index.js';
import { CONTRACT_FILE, loadApplicationModules, parseContract, type ApplicationModules, type ModuleContract } from '../core/index.js';
import { contractStatuses, contractViolations, loadContracts } from '../contracts/index.js';
import { AffectedError } from './affected-error.js';
import { computeAffected, type Affected } from './compute-affected.js';
import { eventEdges } from './event-edges.js';

export interface FindAffectedOptions {
  rootDir: string;
  /** Measure from the merge base of REF and HEAD (plus the working tree); default: the working tree against HEAD. */
  since?: string;
  /** The changed files, given explicitly (already validated by parseFilesOption) instead of asking git. */
  files?: readonly string[];
  allDependents?: boolean;
  tsConfig?: string;
  /** Keep computed contracts in the check's cache folder (default true). */
  cache?: boolean;
}

/**
 * `modulith affected` as a function: the changed files (git, or --files), the module model, the
 * contract moves of the touched modules (their code's contract against module.api.md, and
 * module.api.md against its text at the base commit, as `check --changed` decides), the event
 * edges of the modules' module.api.md, then computeAffected. Throws ChangesError (not a git work
 * tree, unknown or hostile REF) or AffectedError (bad input): exit 2.
 */
export async function findAffected(options: FindAffectedOptions): Promise<Affected & { model: ApplicationModules }> {
  const { rootDir } = options;
  if (options.files !== undefined && options.since !== undefined) throw new AffectedError('--files and --since do not go together: --files names the changed files itself');
  const change = options.files !== undefined ? explicitChange(rootDir, options.files) : changedFiles(rootDir, options.since !== undefined ? { since: options.since } : {});
  const config = await loadCheckConfig(rootDir, { tsConfig: options.tsConfig });
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true, allowCycles: true });

  const touched = [...new Set(change.files.map((f) => model.moduleOf(f)?.name).filter((n): n is string => n !== undefined))];
  const eligible = touched.filter((name) => {
    const entry = model.get(name)?.entry;
    return entry !== undefined && /\.(ts|mts|cts|tsx)$/.test(entry) && existsSync(join(rootDir, entry));
  });
  const computed = eligible.length > 0
    ? (await loadContracts(model, {
        modules: eligible,
        ...(options.tsConfig ? { tsConfig: options.tsConfig } : {}),
        ...(options.cache !== false ? { cacheFile: join(defaultCacheDir(rootDir), 'contracts.json') } : {}),
      })).contracts
    : new Map<string, ModuleContract>();
  const scoped = summarizeChanges({
    rootDir,
    model,
    files: change.files,
    violations: contractViolations(contractStatuses(rootDir, model, computed)),
    stale: [],
    base: change.base,
    committedContract: (path) => (change.base ? fileAt(rootDir, change.base, change.prefix, path) : undefined),
  });
  const contracts: Record<string, ContractMove> = Object.fromEntries(scoped.changed.modules.map((m) => [m.name, m.contract]));

  // Event edges from the recorded contracts, plus what the touched modules' code publishes and listens to now.
  const recorded = recordedContracts(rootDir, model);
  for (const [name, now] of computed) {
    const before = recorded.get(name);
    recorded.set(name, before ? { ...before, publishes: [...before.publishes, ...now.publishes], listens: [...before.listens, ...now.listens] } : now);
  }

  const affected = computeAffected({
    model,
    files: change.files,
    contracts,
    events: eventEdges(recorded),
    base: change.base ?? null,
    options: { allDependents: options.allDependents === true },
  });
  return { ...affected, model };
}

/** The modules' committed contracts: their module.api.md files that parse. */
export function recordedContracts(rootDir: string, model: ApplicationModules): Map<string, ModuleContract> {
  const recorded = new Map<string, ModuleContract>();
  for (const m of model.modules) {
    const file = join(rootDir, m.dir, CONTRACT_FILE);
    const contract = existsSync(file) ? parseContract(readFileSync(file, 'utf8')) : undefined;
    if (contract) recorded.set(m.name, contract);
  }
  return recorded;
}

/** --files: the given files, measured against HEAD when the project is in a git work tree (for the committed module.api.md). */
function explicitChange(rootDir: string, files: readonly string[]): { files: string[]; base: string | undefined; prefix: string } {
  const head = tryGit(rootDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])?.trim();
  const prefix = head ? (tryGit(rootDir, ['rev-parse', '--show-prefix'])?.trim() ?? '') : '';
  return { files: [...files], base: head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined, prefix };
}

function tryGit(rootDir: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}
