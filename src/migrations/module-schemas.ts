import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import type { ApplicationModules } from '../core/index.js';
import { getFeatureModuleMetadata } from '../runtime/index.js';

/** What @nestjs/typeorm's forFeature providers carry: TypeORM's own table record of the entity (`targetEntitySchema`). */
interface TableArgs {
  target: unknown;
  schema?: string;
}

/**
 * Puts the entities of each module whose module.json names a `schema` into that schema: every
 * entity the module registers with TypeOrmModule.forFeature([...]) and that names no schema of its
 * own gets it. It edits TypeORM's table records (the ones forFeature's providers point at) before
 * the DataSource reads them, which is why it runs in migrateOnConnect, before connecting.
 * Returns the entities it placed, per module, for messages and tests.
 */
export function assignModuleSchemas(modules: ReadonlyArray<Type<unknown> | DynamicModule>, model: ApplicationModules): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  for (const entry of modules) {
    const type = typeof entry === 'function' ? entry : entry.module;
    const name = getFeatureModuleMetadata(type)?.name;
    const schema = name ? model.get(name)?.schema : undefined;
    if (!name || !schema) continue;
    const imports = [...((Reflect.getMetadata('imports', type) as unknown[] | undefined) ?? []), ...(typeof entry === 'function' ? [] : (entry.imports ?? []))];
    for (const imported of imports) {
      for (const table of forFeatureTables(imported)) {
        if (table.schema !== undefined && table.schema !== schema) continue; // the entity says where it lives
        table.schema = schema;
        placed.set(name, [...(placed.get(name) ?? []), (table.target as { name?: string })?.name ?? String(table.target)]);
      }
    }
  }
  return placed;
}

/** The table records behind a TypeOrmModule.forFeature([...]) dynamic module; [] for anything else. */
function forFeatureTables(imported: unknown): TableArgs[] {
  const providers = (imported as DynamicModule | undefined)?.providers;
  if (!Array.isArray(providers)) return [];
  return providers
    .map((p) => (p as { targetEntitySchema?: TableArgs }).targetEntitySchema)
    .filter((t): t is TableArgs => typeof t === 'object' && t !== null && 'target' in t);
}
