import { createRequire } from 'node:module';
import { join } from 'node:path';
import type TypeScript from 'typescript';
import { depcruiseLocation } from './extraction-cache.js';

let loaded: Promise<typeof TypeScript> | undefined;

/**
 * The TypeScript compiler dependency-cruiser parses with (the copy that resolves from its folder),
 * loaded with require(): importing TypeScript's 9 MB CommonJS bundle from ESM makes Node 20 scan
 * it for module syntax and export names first, which costs twice the load itself. Falls back to a
 * plain import.
 */
export function loadTypeScript(): Promise<typeof TypeScript> {
  loaded ??= (async () => {
    try {
      const dir = depcruiseLocation().dir;
      if (dir) return createRequire(join(dir, 'package.json'))('typescript') as typeof TypeScript;
    } catch {
      // fall through
    }
    return (await import('typescript')).default;
  })();
  return loaded;
}
