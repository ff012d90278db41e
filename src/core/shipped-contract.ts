import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplicationModule } from './application-module.js';
import { CONTRACT_FILE, parseContract, type ModuleContract } from './module-contract.js';

/** No real contract comes near this; a bigger file is not read at boot. */
const MAX_CONTRACT_BYTES = 4 * 1024 * 1024;

/** Why a module's shipped contract cannot be used: 'debug' when it is simply absent, 'warn' when it is there but unusable. */
export interface ContractUnavailable {
  reason: string;
  level: 'debug' | 'warn';
}

/**
 * The module.api.md a build ships beside a module's module.json, as the runtime reads it to
 * detect contract skew between processes (facade calls, relayed events). Never throws: a missing,
 * oversized, unreadable or foreign file is a reason to log, and skew is then not detected.
 */
export function readShippedContract(rootDir: string, module: ApplicationModule): { contract: ModuleContract } | ContractUnavailable {
  const file = join(rootDir, module.dir, CONTRACT_FILE);
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONTRACT_BYTES) return { reason: `${file} takes ${size} bytes; a contract larger than ${MAX_CONTRACT_BYTES} is not read`, level: 'warn' };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException)?.code === 'ENOENT';
    return missing
      ? { reason: `no ${CONTRACT_FILE} beside ${join(rootDir, module.manifest)} (run \`npx modulith contracts\` and ship ${CONTRACT_FILE} with module.json in the build)`, level: 'debug' }
      : { reason: `${file} cannot be read: ${(error as Error)?.message ?? error}`, level: 'warn' };
  }
  const contract = parseContract(text);
  if (!contract || contract.module !== module.name) {
    return { reason: `${file} is not the contract of module '${module.name}'${contract ? ` (it names '${contract.module}')` : ''}; run \`npx modulith contracts\``, level: 'warn' };
  }
  return { contract };
}
