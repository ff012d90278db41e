import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The first file on the stack outside this folder (src/runtime) — for @FeatureModule, the compiled file
 * of the module class (dist/modules/billing/billing.module.js, or the .ts file under ts-node,
 * Jest or Vitest). It is read from V8's structured stack, not from process.cwd(), so a build
 * finds its module.json files wherever it is started from.
 *
 * Undefined when the stack does not tell (stack traces turned off, an unusual runtime): the
 * caller then falls back to an explicit rootDir.
 */
export function definedIn(): string | undefined {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    // Raw call sites: the generated file's own path, even under --enable-source-maps.
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 30;
    const sites = new Error().stack as unknown as NodeJS.CallSite[] | undefined;
    if (!Array.isArray(sites)) return undefined;
    for (const site of sites) {
      const file = toPath(site.getFileName() ?? undefined);
      if (file && dirname(file) !== HERE) return file;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  }
}

function toPath(name: string | undefined): string | undefined {
  if (!name || name.startsWith('node:') || name.startsWith('internal/')) return undefined;
  if (name.startsWith('file://')) return fileURLToPath(name);
  return name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name) ? name : undefined;
}

/** This file's folder, found the same way (the first frame of any stack taken here). */
const HERE = ((): string | undefined => {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    const sites = new Error().stack as unknown as NodeJS.CallSite[] | undefined;
    const file = Array.isArray(sites) ? toPath(sites[0]?.getFileName() ?? undefined) : undefined;
    return file && dirname(file);
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
})();
