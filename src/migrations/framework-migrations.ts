import { OUTBOX_MIGRATIONS } from '../events/index.js';
import { describeMigration, sortMigrations, type ModuleMigrations } from './module-migration.js';

/** The history name of the outbox's migrations: not a module name (those cannot hold ':'), so never confused with one. */
export const EVENTS_HISTORY_MODULE = 'modulith:events';

/** The outbox's tables as a migration set that runs before every module's. */
export function eventsMigrations(): ModuleMigrations {
  return { module: EVENTS_HISTORY_MODULE, migrations: sortMigrations(OUTBOX_MIGRATIONS.map((m) => describeMigration(EVENTS_HISTORY_MODULE, m))) };
}
