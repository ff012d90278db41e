import { Logger, type DynamicModule, type Type } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { getFeatureModuleMetadata, isHosted, locateModel, type Topology } from '../runtime/index.js';
import { findModuleMigrations } from './find-migrations.js';
import { eventsMigrations } from './framework-migrations.js';
import { assignModuleSchemas } from './module-schemas.js';
import { runModuleMigrations, type MigrationOutcome } from './run-migrations.js';

export interface MigrateOnConnectOptions {
  /** The app's feature modules (the list given to ModulithModule.forRoot). */
  modules: ReadonlyArray<Type<unknown> | DynamicModule>;
  /** Where each module runs: only the modules hosted in this process migrate its database. */
  topology?: Topology;
  /** Also the outbox's tables (nest-modulith/events), before every module's: true when the app imports ModulithEventsModule. */
  events?: boolean;
  /** Same as ModulithModule.forRoot: where package.json and the modules roots are; default next to the modules' own files. */
  rootDir?: string;
  roots?: string[];
  /** Called with what ran (e.g. for a log line or a test). */
  onMigrated?: (outcomes: MigrationOutcome[]) => void;
}

/**
 * A `dataSourceFactory` for TypeOrmModule.forRootAsync that migrates before anything uses the
 * database: it connects, runs the framework's and then each hosted module's pending migrations
 * (in dependency order, each module's from its own migrations/ folder next to its module.json),
 * and only then hands the DataSource to Nest. A failing migration fails the boot.
 *
 *   TypeOrmModule.forRootAsync({
 *     useFactory: () => ({ type: 'postgres', url, autoLoadEntities: true }),
 *     dataSourceFactory: migrateOnConnect({ modules: MODULES, events: true }),
 *   })
 */
export function migrateOnConnect(options: MigrateOnConnectOptions): (dataSourceOptions?: DataSourceOptions) => Promise<DataSource> {
  return async (dataSourceOptions) => {
    if (!dataSourceOptions) throw new Error('migrateOnConnect: TypeORM gave no DataSource options; use it as TypeOrmModule.forRootAsync({ useFactory, dataSourceFactory })');
    if ((dataSourceOptions as { synchronize?: boolean }).synchronize) {
      new Logger('Migrations').warn('synchronize is on next to migrations: TypeORM alters tables from the entities before the migrations run; turn it off');
    }
    const model = locateModel(options.modules, { rootDir: options.rootDir, roots: options.roots });
    const hosted = options.modules
      .map((entry) => getFeatureModuleMetadata(typeof entry === 'function' ? entry : entry.module)?.name)
      .filter((name): name is string => name !== undefined && isHosted(options.topology ?? {}, name));
    // Shared modules run wherever their users do; they migrate in every process.
    const names = model.names.filter((name) => hosted.includes(name) || model.get(name)!.shared);
    const plan = await findModuleMigrations(model, { modules: names, framework: options.events ? [eventsMigrations()] : [] });
    // PostgreSQL: the entities of a module with a "schema" live in it (where its migrations create its tables).
    if (dataSourceOptions.type === 'postgres') assignModuleSchemas(options.modules, model);
    const dataSource = await new DataSource(dataSourceOptions).initialize();
    try {
      const logger = new Logger('Migrations');
      const outcomes = await runModuleMigrations(dataSource, plan, { log: (line) => logger.log(line) });
      options.onMigrated?.(outcomes);
    } catch (error) {
      await dataSource.destroy().catch(() => undefined);
      throw error;
    }
    return dataSource;
  };
}
