import type { InventoryModule, InventoryWarning } from './collect.js';

/** A renewal this close (in days, or already past) is a warning. */
export const RENEWAL_WARNING_DAYS = 30;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The warnings of an inventory, measured from `today` (YYYY-MM-DD): an account renewing within
 * RENEWAL_WARNING_DAYS days or already past its renewal, and an account nobody owns (neither its
 * own "owner" nor its module's "owners"). Sorted by module, account, kind. Pure.
 */
export function inventoryWarnings(modules: readonly InventoryModule[], today: string): InventoryWarning[] {
  const now = dayNumber(today);
  if (now === undefined) throw new Error(`nest-modulith: inventoryWarnings needs today as YYYY-MM-DD, not '${today}'`);
  const warnings: InventoryWarning[] = [];
  for (const module of modules) {
    for (const account of module.externals) {
      if (account.ownerSource === 'none') {
        warnings.push({
          module: module.name,
          account: account.name,
          kind: 'no-owner',
          message: `${module.name}: account ${account.name} has no owner (neither its own "owner" nor the module's "owners"); add "owner" to it in ${module.path}/module.json`,
        });
      }
      const renews = account.renews !== undefined ? dayNumber(account.renews) : undefined;
      if (renews === undefined) continue;
      const days = renews - now;
      if (days < 0) {
        warnings.push({
          module: module.name,
          account: account.name,
          kind: 'renewal-overdue',
          message: `${module.name}: account ${account.name} was due for renewal on ${account.renews} (${plural(-days, 'day')} ago)`,
        });
      } else if (days <= RENEWAL_WARNING_DAYS) {
        warnings.push({
          module: module.name,
          account: account.name,
          kind: 'renewal-due',
          message: `${module.name}: account ${account.name} renews on ${account.renews} (${days === 0 ? 'today' : `in ${plural(days, 'day')}`})`,
        });
      }
    }
  }
  return warnings;
}

/** Days since 1970-01-01 of a valid YYYY-MM-DD date (UTC), else undefined. */
export function dayNumber(text: string): number | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Math.round(time / 86_400_000);
}

/** Today (UTC) as YYYY-MM-DD; `override` (e.g. MODULITH_TODAY) when it is a valid date. */
export function inventoryToday(override?: string, now: Date = new Date()): string {
  if (override !== undefined && dayNumber(override) !== undefined) return override;
  return now.toISOString().slice(0, 10);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
