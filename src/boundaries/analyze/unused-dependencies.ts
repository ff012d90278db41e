import type { ApplicationModules } from '../../core/index.js';
import { lineOf } from '../extract/locate-lines.js';
import type { BoundaryViolation } from './boundary-violation.js';
import type { ModuleEdge } from './classify-imports.js';

/** Declared dependencies that no file of the module imports (tests and mocks count as use). A warning: it never fails the check. */
export function unusedDependencies(
  model: ApplicationModules,
  edges: readonly ModuleEdge[],
  readManifest: (path: string) => string | undefined,
): BoundaryViolation[] {
  const used = new Set(edges.map((e) => `${e.fromModule}>${e.toModule}`));
  const violations: BoundaryViolation[] = [];
  for (const module of model.modules) {
    for (const dep of module.dependsOn) {
      if (used.has(`${module.name}>${dep}`)) continue;
      const target = model.require(dep);
      const text = readManifest(module.manifest);
      violations.push({
        rule: 'unused-dependency',
        severity: 'warn',
        from: module.manifest,
        to: target.entry ?? target.manifest,
        fromModule: module.name,
        toModule: dep,
        line: text === undefined ? undefined : lineOf(text, dep),
        message: `${module.name} declares a dependency on ${dep} but no file of ${module.dir} imports it`,
        fix: `remove "${dep}" from "dependsOn" in ${module.manifest} (or keep it if the use is still to come)`,
      });
    }
  }
  return violations;
}
