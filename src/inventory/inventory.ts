import { loadApplicationModules, type LoadOptions } from '../core/index.js';
import { collectInventory, type Inventory } from './collect.js';
import { inventoryToday, inventoryWarnings } from './warnings.js';

export interface InventoryOptions {
  rootDir: string;
  /** Modules roots; default package.json "modulith".roots, else modules/. */
  roots?: LoadOptions['roots'];
  /** The day renewals are measured from, YYYY-MM-DD; default today (UTC). */
  today?: string;
}

/**
 * The inventory of the app at `rootDir`: load the modules (a bad module.json throws core's
 * ModuleModelError naming the file) -> collect -> warnings.
 */
export function buildInventory(options: InventoryOptions): Inventory {
  const model = loadApplicationModules(options.rootDir, { ...(options.roots ? { roots: options.roots } : {}), allowEmpty: true });
  const today = inventoryToday(options.today);
  const modules = collectInventory(model);
  return { today, modules, warnings: inventoryWarnings(modules, today) };
}
