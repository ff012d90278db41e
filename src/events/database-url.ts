import type { DataSourceOptions } from 'typeorm';

/** The default database of an app built with nest-modulith: an embedded SQLite file. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/modulith.sqlite';

/**
 * TypeORM connection options from a DATABASE_URL: `sqlite:PATH` (better-sqlite3, WAL on) or
 * `postgres://...`. The same parsing serves apps and the `modulith events` command, so both
 * always open the same database.
 */
export function dataSourceOptionsFromUrl(url: string, schema?: string): DataSourceOptions {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new Error(`DATABASE_URL '${url}' names no file: write e.g. sqlite:data/modulith.sqlite or sqlite::memory:`);
    return { type: 'better-sqlite3', database: path, enableWAL: path !== ':memory:' };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url, ...(schema ? { schema } : {}) };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got '${url}')`);
}
