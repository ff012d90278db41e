import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_FILE, parseContract, type ApplicationModules } from '../core/index.js';
import { ContractBook } from '../remote/index.js';
import type { PlacedModule } from './module-placement.js';

/** A module.api.md larger than this is not read (a generated contract is a few kB). */
const MAX_CONTRACT_BYTES = 4 * 1024 * 1024;

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
    const file = join(model.rootDir, module.dir, CONTRACT_FILE);
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > MAX_CONTRACT_BYTES) {
        unchecked(`${file} takes ${size} bytes; a contract larger than ${MAX_CONTRACT_BYTES} is not read`, 'warn');
        continue;
      }
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException)?.code === 'ENOENT';
      unchecked(
        missing
          ? `no ${CONTRACT_FILE} beside ${join(model.rootDir, module.manifest)} (run \`npx modulith contracts\` and ship ${CONTRACT_FILE} with module.json in the build)`
          : `${file} cannot be read: ${(error as Error)?.message ?? error}`,
        missing ? 'debug' : 'warn',
      );
      continue;
    }
    const contract = parseContract(text);
    if (!contract || contract.module !== placed.name) {
      unchecked(`${file} is not the contract of module '${placed.name}'${contract ? ` (it names '${contract.module}')` : ''}; run \`npx modulith contracts\``, 'warn');
      continue;
    }
    for (const facade of placed.facades) {
      const section = contract.facades.find((f) => f.name === facade.name);
      if (section) book.add(placed.name, section);
      else unchecked(`${file} has no section for ${facade.name}; run \`npx modulith contracts\``, 'warn');
    }
  }
  return book;
}
