import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { DatabaseConfig } from './config.js';

/**
 * TypeORM options for the configured database. Each module registers its own entities with
 * TypeOrmModule.forFeature (autoLoadEntities collects them), so the shell never lists another
 * module's tables. No `synchronize`: each module's migrations (its migrations/ folder) create and
 * change its tables, run by migrateOnConnect (app.module.ts) or `modulith migrate`.
 */
export function typeOrmOptions(database: DatabaseConfig): TypeOrmModuleOptions {
  const common = { autoLoadEntities: true, synchronize: false, retryAttempts: 0 } as const;
  if (database.type === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, ...(database.schema ? { schema: database.schema } : {}) };
  }
  const path = database.path === ':memory:' ? database.path : resolve(database.path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // WAL lets readers proceed while a write is in progress.
  return { ...common, type: 'better-sqlite3', database: path, enableWAL: path !== ':memory:' };
}
