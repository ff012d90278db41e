import type { QueryRunner } from 'typeorm';

/** A TypeORM migration class (what `typeorm migration:generate` and `modulith migrations generate` write). */
export interface MigrationClass {
  new (): { name?: string; transaction?: boolean; up(queryRunner: QueryRunner): Promise<unknown>; down?(queryRunner: QueryRunner): Promise<unknown> };
}

/** One migration of one module, named as its history records it. */
export interface ModuleMigration {
  /** The module that owns it (a module.json name, or the framework's `modulith-events`). */
  module: string;
  /** Its name: the class's `name` property, else the class name; ends with a JavaScript timestamp. */
  name: string;
  /** The timestamp its name ends with: the order within a module. */
  timestamp: number;
  /** The file it was loaded from (for messages); undefined for built-in ones. */
  file?: string;
  migration: MigrationClass;
}

/** A module's migrations in the order they run. */
export interface ModuleMigrations {
  module: string;
  /** PostgreSQL schema the module's tables live in (module.json "schema"); undefined: the connection's. */
  schema?: string;
  migrations: ModuleMigration[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

const TIMESTAMP = /(\d{13})$/;

/**
 * A migration class as a ModuleMigration: its name must end with a 13-digit JavaScript timestamp
 * (TypeORM's convention, which orders a module's migrations); else MigrationError naming the fix.
 */
export function describeMigration(module: string, migration: MigrationClass, file?: string): ModuleMigration {
  const name = new migration().name ?? migration.name;
  const timestamp = TIMESTAMP.exec(name)?.[1];
  if (!timestamp) {
    throw new MigrationError(
      `migration ${name}${file ? ` (${file})` : ''} of module ${module}: its name must end with a 13-digit timestamp (e.g. ${name || 'CreateTables'}${Date.now()}), which orders a module's migrations; ` +
        'rename the class or set its `name`, or write it with `npx modulith migrations generate`',
    );
  }
  return { module, name, timestamp: Number(timestamp), ...(file ? { file } : {}), migration };
}

/** Sorted by timestamp, then name; two migrations of one module with one name are refused. */
export function sortMigrations(list: ModuleMigration[]): ModuleMigration[] {
  const sorted = [...list].sort((a, b) => a.timestamp - b.timestamp || a.name.localeCompare(b.name));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.name === sorted[i - 1]!.name) {
      throw new MigrationError(`module ${sorted[i]!.module} has two migrations named ${sorted[i]!.name} (${sorted[i - 1]!.file ?? 'built in'} and ${sorted[i]!.file ?? 'built in'}); rename one`);
    }
  }
  return sorted;
}
