import { buildInventory, dayNumber, INVENTORY_FORMATS, renderInventory, type InventoryFormat } from '../../inventory/index.js';
import { parseOptions, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

/**
 * `modulith inventory [--format pretty|json|markdown] [--strict]`: every module's external
 * accounts (owner, variables, renewal, console), secrets (names only), other variables and owners,
 * with warnings for a renewal within 30 days or past and an account nobody owns. Renewals are
 * measured from today (UTC), or from MODULITH_TODAY=YYYY-MM-DD when it is a valid date. Exit 0;
 * with --strict 1 when there is a warning; 2 on bad usage or a bad module.json (naming it).
 */
export async function inventoryCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseOptions(args, { format: { type: 'string' }, strict: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const format = (values.format as string | undefined) ?? 'pretty';
  if (!INVENTORY_FORMATS.includes(format as InventoryFormat)) throw new UsageError(`unknown format '${format}' (use ${INVENTORY_FORMATS.join(', ')})`);
  const override = env.MODULITH_TODAY;
  if (override !== undefined && override !== '' && dayNumber(override) === undefined) {
    io.stderr('modulith inventory: MODULITH_TODAY is not a date (YYYY-MM-DD); ignored, renewals are measured from today\n');
  }
  const inventory = buildInventory({ rootDir: io.cwd, ...(override ? { today: override } : {}) });
  io.stdout(renderInventory(inventory, format as InventoryFormat));
  return values.strict === true && inventory.warnings.length > 0 ? EXIT.violations : EXIT.ok;
}
