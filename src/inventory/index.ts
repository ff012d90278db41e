// Public API of the `inventory` module: every module's outside world, from its module.json.
//
// Three pure stages, then a loader that chains them (what `modulith inventory` runs):
// - collectInventory(model): per module (sorted) its owners, non-secret variables, secrets (names
//   and descriptions only, never a value) and external accounts; an account without "owner" falls
//   back to the module's owners (ownerSource 'module'), else has none ('none').
// - inventoryWarnings(modules, today): renewal-due (within RENEWAL_WARNING_DAYS = 30 days),
//   renewal-overdue (past), no-owner (neither the account's owner nor the module's owners).
// - renderInventory(inventory, 'pretty' | 'json' | 'markdown'): deterministic text.
// - buildInventory({ rootDir, roots?, today? }): load -> collect -> warnings. inventoryToday(text?)
//   is today (UTC) as YYYY-MM-DD, or `text` when it is a valid date (the CLI passes MODULITH_TODAY).
export { collectInventory, compare, type Inventory, type InventoryModule, type InventoryAccount, type InventoryVariable, type InventoryWarning, type InventoryWarningKind, type OwnerSource } from './collect.js';
export { inventoryWarnings, inventoryToday, dayNumber, RENEWAL_WARNING_DAYS } from './warnings.js';
export { renderInventory, INVENTORY_FORMATS, type InventoryFormat } from './render.js';
export { buildInventory, type InventoryOptions } from './inventory.js';
