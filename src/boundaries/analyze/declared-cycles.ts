import type { ApplicationModules } from '../../core/index.js';
import { lineOf } from '../extract/locate-lines.js';
import type { BoundaryViolation } from './boundary-violation.js';

/**
 * Cycles in the declared `dependsOn` graph (orders dependsOn reporting dependsOn orders), as
 * `module-cycle` violations: reported with every other violation (exit 1, not a configuration
 * error), and baselined like any other while a team untangles them. The model must be loaded with
 * `allowCycles` for them to reach the check.
 *
 * One violation per cycle, anchored at the module.json of its first module (the smallest name, so
 * the anchor does not depend on which module the search meets first) and the line of its
 * `dependsOn` entry naming the next module; `to` is the next module's module.json. The baseline
 * keys a cycle by its modules (`module-cycle|orders>reporting`), so the entry is the same on every
 * run and goes stale when the cycle is broken.
 */
export function declaredCycles(model: ApplicationModules, readManifest: (path: string) => string | undefined): BoundaryViolation[] {
  return model.declaredCycles().map((cycle) => {
    const modules = cycle.map((name) => model.require(name));
    const hops = modules.map((module, i) => {
      const next = cycle[(i + 1) % cycle.length];
      return { module, next, line: dependsOnLine(readManifest(module.manifest), next) };
    });
    const [first] = hops;
    const target = model.require(first.next);
    return {
      rule: 'module-cycle',
      severity: 'error' as const,
      from: first.module.manifest,
      to: target.manifest,
      fromModule: first.module.name,
      toModule: first.next,
      ...(first.line !== undefined ? { line: first.line } : {}),
      cycle,
      message: `declared dependencies form a cycle: ${[...cycle, cycle[0]].join(' -> ')} (${hops
        .map((h) => `${h.module.manifest}${h.line ? `:${h.line}` : ''} lists ${h.next}`)
        .join('; ')})`,
      fix:
        `break one edge, e.g. remove "${first.next}" from "dependsOn" in ${first.module.manifest}: let ${first.module.name} publish an event that ` +
        `${first.next} listens to, or move what both need into a shared module`,
    };
  });
}

/**
 * The import-level cycles and the declared ones, one violation per cycle. When the modules that
 * import each other in a cycle also declare it (the same modules in the same order), only the
 * import-level violation is kept: it names one import (file:line) for every edge, which is where
 * the cycle must be broken in code, while the declared one would only repeat the module chain. Its
 * message and fix then say that the cycle is declared too, since breaking it also means removing
 * the edge from `dependsOn`. Both have the same baseline key (rule and modules), so a baseline
 * entry stays valid whichever of the two is reported: removing the imports but not the
 * declaration keeps the entry known, removing both makes it stale.
 */
export function mergeCycles(model: ApplicationModules, importCycles: readonly BoundaryViolation[], declared: readonly BoundaryViolation[]): BoundaryViolation[] {
  const declaredByKey = new Map(declared.map((v) => [cycleKey(v), v]));
  const merged = importCycles.map((v): BoundaryViolation => {
    if (!v.cycle || !declaredByKey.delete(cycleKey(v))) return v;
    const manifests = v.cycle.map((name) => model.get(name)?.manifest ?? name);
    return {
      ...v,
      message: `${v.message}; declared in "dependsOn" too (${manifests.join(', ')})`,
      fix: `${v.fix}; and remove that edge from "dependsOn"`,
    };
  });
  return [...merged, ...declaredByKey.values()];
}

function cycleKey(v: BoundaryViolation): string {
  return (v.cycle ?? []).join('>');
}

/** The line of the `dependsOn` entry naming `dep` (the first quoted `dep` after the "dependsOn" key), else of any quoted `dep`. */
function dependsOnLine(text: string | undefined, dep: string): number | undefined {
  if (text === undefined) return undefined;
  const key = text.indexOf('"dependsOn"');
  const after = key >= 0 ? lineOf(text.slice(key), dep) : undefined;
  if (after === undefined) return lineOf(text, dep);
  return text.slice(0, key).split('\n').length + after - 1;
}
