import type { ApplicationModules, ConfigVariable, ExternalAccount } from '../core/index.js';

/** One variable of a module, as the inventory shows it: never a value (secrets have none to show). */
export interface InventoryVariable {
  name: string;
  description: string;
  required: boolean;
  type: ConfigVariable['type'];
  /** Non-secret variables only. */
  default?: string;
  /** The module's external accounts whose credentials or settings it holds, sorted. */
  accounts: string[];
}

/** Where an account's owner comes from: its own "owner", else its module's "owners", else nobody. */
export type OwnerSource = 'account' | 'module' | 'none';

export interface InventoryAccount {
  name: string;
  description?: string;
  /** Who answers for it: its own owner, else its module's owners; [] when nobody. */
  owners: string[];
  ownerSource: OwnerSource;
  variables: string[];
  /** YYYY-MM-DD. */
  renews?: string;
  url?: string;
}

export interface InventoryModule {
  name: string;
  /** Its folder, project-relative. */
  path: string;
  owners: string[];
  /** Its non-secret variables, by name. */
  variables: InventoryVariable[];
  /** Its secrets, by name (names only: the inventory never holds a value). */
  secrets: InventoryVariable[];
  /** Its outside accounts, by name. */
  externals: InventoryAccount[];
}

export type InventoryWarningKind = 'renewal-due' | 'renewal-overdue' | 'no-owner';

export interface InventoryWarning {
  module: string;
  account?: string;
  kind: InventoryWarningKind;
  message: string;
}

/** What `modulith inventory --format json` prints. */
export interface Inventory {
  /** The day renewals are measured from (YYYY-MM-DD). */
  today: string;
  modules: InventoryModule[];
  warnings: InventoryWarning[];
}

/** Every module's accounts, secrets, variables and owners, sorted by module then by name. Pure. */
export function collectInventory(model: ApplicationModules): InventoryModule[] {
  return [...model.modules]
    .sort((a, b) => compare(a.name, b.name))
    .map((module) => {
      const owners = [...module.owners];
      const externals = [...module.externals].sort((a, b) => compare(a.name, b.name)).map((account) => inventoryAccount(account, owners));
      const config = [...module.config].sort((a, b) => compare(a.name, b.name));
      return {
        name: module.name,
        path: module.dir,
        owners,
        variables: config.filter((v) => !v.secret).map((v) => inventoryVariable(v, module.externals)),
        secrets: config.filter((v) => v.secret).map((v) => inventoryVariable(v, module.externals)),
        externals,
      };
    });
}

function inventoryAccount(account: ExternalAccount, moduleOwners: string[]): InventoryAccount {
  const ownerSource: OwnerSource = account.owner ? 'account' : moduleOwners.length > 0 ? 'module' : 'none';
  return {
    name: account.name,
    ...(account.description ? { description: account.description } : {}),
    owners: account.owner ? [account.owner] : ownerSource === 'module' ? [...moduleOwners] : [],
    ownerSource,
    variables: [...account.variables].sort(compare),
    ...(account.renews ? { renews: account.renews } : {}),
    ...(account.url ? { url: account.url } : {}),
  };
}

function inventoryVariable(variable: ConfigVariable, externals: readonly ExternalAccount[]): InventoryVariable {
  return {
    name: variable.name,
    description: variable.description,
    required: variable.required,
    type: variable.type,
    ...(!variable.secret && variable.default !== undefined ? { default: variable.default } : {}),
    accounts: externals.filter((e) => e.variables.includes(variable.name)).map((e) => e.name).sort(compare),
  };
}

/** Locale-independent ordering, so the output is the same bytes on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
