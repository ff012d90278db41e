import { readShippedContract, type ApplicationModules } from '../core/index.js';
import { ContractBook } from '../remote/index.js';
import type { PlacedModule } from './module-placement.js';

/**
 * The facade contracts this process was built with, read once at boot from the module.api.md
 * beside each module.json (a build copies both next to the compiled modules): the fingerprints
 * of the facades it serves, and its copies of the contracts of the modules it calls remotely.
 * Only modules with facades are read. A module without a usable contract is listed in
 * `unchecked` with the reason, for one log line at boot; nothing here fails the boot.
 */
export function readFacadeContracts(model: ApplicationModules, placement: readonly PlacedModule[]): ContractBook {
  const book = new ContractBook();
  for (const placed of placement) {
    if (placed.facades.length === 0) continue;
    const unchecked = (reason: string, level: 'debug' | 'warn' = 'debug') => book.unchecked.push({ module: placed.name, hosted: placed.hosted, reason, level });
    const module = model.get(placed.name);
    if (!module) {
      unchecked('it is not in the module model');
      continue;
    }
    const read = readShippedContract(model.rootDir, module);
    if (!('contract' in read)) {
      unchecked(read.reason, read.level);
      continue;
    }
    const contract = read.contract;
    for (const facade of placed.facades) {
      const section = contract.facades.find((f) => f.name === facade.name);
      if (section) book.add(placed.name, section);
      else unchecked(`${module.dir}/module.api.md has no section for ${facade.name}; run \`npx modulith contracts\``, 'warn');
    }
  }
  return book;
}
