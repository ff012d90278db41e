import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckPlugin, RuleDescription } from '../boundaries/index.js';

/** The rules symbol-level leak detection adds to the check (see src/leaks). */
export const LEAK_RULES: RuleDescription[] = [
  {
    id: 'reexports-undeclared',
    severity: 'error',
    summary: "a module's public API re-exports symbols of a module its module.json does not declare",
    why: "users of this module would depend on the other module without anyone declaring it",
  },
  {
    id: 'exposes-entity',
    severity: 'error',
    summary: "a module's public API exposes a TypeORM entity or repository (directly or in a signature)",
    why: 'a module owns its data: others get plain data through its facade, never its tables',
  },
];

/**
 * Symbol-level leak detection (TypeScript compiler over the public APIs) as a check plugin. Loaded
 * lazily: it brings in TypeScript, which the check's warm path otherwise avoids.
 */
export function leaksPlugin(options: { cache: boolean }): CheckPlugin {
  return {
    name: 'symbol-level leaks',
    rules: LEAK_RULES,
    async run(model, context) {
      const { findLeaks } = await import('../leaks/index.js');
      const nodeModules = join(context.rootDir, 'node_modules');
      const cacheFile = options.cache && existsSync(nodeModules) ? 'node_modules/.cache/modulith/leaks.json' : undefined;
      return findLeaks(model, { ...(context.tsConfig ? { tsconfig: context.tsConfig } : {}), ...(cacheFile ? { cacheFile } : {}) });
    },
  };
}
