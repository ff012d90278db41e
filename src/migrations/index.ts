export { migrateOnConnect, type MigrateOnConnectOptions } from './migrate-on-connect.js';
export { runModuleMigrations, type MigrationOutcome, type RunMigrationsOptions } from './run-migrations.js';
export { findModuleMigrations, migrationFiles, loadMigrationClasses, MIGRATIONS_FOLDER } from './find-migrations.js';
export { migrationOrder } from './migration-order.js';
export { HISTORY_TABLE } from './migration-history.js';
export { eventsMigrations, EVENTS_HISTORY_MODULE } from './framework-migrations.js';
export { assignModuleSchemas } from './module-schemas.js';
export { describeMigration, sortMigrations, MigrationError, type MigrationClass, type ModuleMigration, type ModuleMigrations } from './module-migration.js';
export { runMigrateCommand, runMigrationsCommand, MIGRATE_USAGE } from './migrate-command.js';
