import type { ModulesContainer } from '@nestjs/core';
import { registeredEntities } from './data-ownership.js';
import { getFeatureModuleMetadata } from './feature-module.decorator.js';

/**
 * A feature module as it actually sits in the Nest container: what it imports and exports at
 * runtime, whatever its source says. The verification compares these with the model.
 */
export interface LiveModule {
  name: string;
  className: string;
  isGlobal: boolean;
  /**
   * Names of the feature modules it imports (non-feature imports such as TypeOrmModule are left
   * out, and so are @Global() ones: Nest links those into every module, and the global module
   * itself is reported instead).
   */
  imports: string[];
  /** Exported tokens that are not one of its facades, as printable names. */
  extraExports: string[];
  /** Names of the entity classes it registers with TypeOrmModule.forFeature (see data-ownership.ts). */
  entities?: string[];
}

/** Reads the feature modules out of a live container (one pass, no side effects). */
export function describeContainer(container: ModulesContainer): LiveModule[] {
  const live: LiveModule[] = [];
  for (const module of container.values()) {
    const meta = getFeatureModuleMetadata(module.metatype);
    if (!meta) continue;
    const imports: string[] = [];
    for (const imported of module.imports) {
      const importedMeta = imported && !imported.isGlobal ? getFeatureModuleMetadata(imported.metatype) : undefined;
      if (importedMeta) imports.push(importedMeta.name);
    }
    const facades = new Set<unknown>(meta.facades);
    const extraExports = [...module.exports].filter((token) => !facades.has(token)).map(tokenName);
    live.push({ name: meta.name, className: module.metatype.name, isGlobal: module.isGlobal, imports, extraExports, entities: registeredEntities(module.imports) });
  }
  return live;
}

function tokenName(token: unknown): string {
  if (typeof token === 'function') return token.name || 'anonymous class';
  if (typeof token === 'symbol') return token.toString();
  return String(token);
}
