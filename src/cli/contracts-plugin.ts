import { join } from 'node:path';
import type { CheckPlugin, RuleDescription } from '../boundaries/index.js';
import type { ApplicationModules } from '../core/index.js';
import { CONTRACT_RULES, contractStatuses, contractViolations, loadContracts, type LoadedContracts } from '../contracts/index.js';

/** The cache file of the computed contracts, in the check's cache folder. */
export const CONTRACTS_CACHE_FILE = 'contracts.json';

/**
 * Module contracts as a check plugin: each module's contract, computed from its code, against its
 * committed module.api.md. contract-changed (error, one per module, with its changes) and
 * contract-missing (warning). The computed contracts are cached by the fingerprints of the files
 * they were read from, so a check where none changed never loads the TypeScript compiler; a
 * changed file recomputes only the modules that read it.
 */
export function contractsPlugin(options: { onLoaded?: (loaded: LoadedContracts) => void } = {}): CheckPlugin {
  const run = async (model: ApplicationModules, context: Parameters<CheckPlugin['run']>[1]) => {
    const eligible = contractModules(model);
    if (eligible.length === 0) return [];
    const loaded = await loadContracts(model, {
      ...(context.tsConfig ? { tsConfig: context.tsConfig } : {}),
      ...(context.cacheDir ? { cacheFile: join(context.cacheDir, CONTRACTS_CACHE_FILE) } : {}),
      knownHashes: new Map(context.files.map((f) => [f.path, f.hash])),
      ...(eligible.length < model.modules.length ? { modules: eligible } : {}),
    });
    options.onLoaded?.(loaded);
    return contractViolations(contractStatuses(context.rootDir, model, loaded.contracts));
  };
  return {
    name: 'module contracts',
    rules: CONTRACT_RULES as RuleDescription[],
    run,
    async warmUp(model, context) {
      await run(model, context);
    },
  };
}

/** The modules that have a contract: those whose public API is a TypeScript file. */
export function contractModules(model: ApplicationModules): string[] {
  return model.modules.filter((m) => m.entry !== undefined && /\.(ts|mts|cts|tsx)$/.test(m.entry)).map((m) => m.name);
}
