import type { ApplicationModule } from './application-module.js';
import type { Problem } from './problem.js';

export interface ValidateOptions {
  /**
   * A cycle in the declared graph is not a problem here: `modulith check` reports it as a
   * `module-cycle` violation (which a baseline can record), the runtime refuses it unless a
   * baseline records it. Find them with `declaredCycles`.
   */
  allowCycles?: boolean;
}

/**
 * Checks the declared module graph as a whole: unique names, dependencies that exist, no
 * self-dependency, shared modules depending only on shared modules, and no cycle (unless
 * `allowCycles`). `broken`: folder names whose module.json is there but unusable (already
 * reported as such), so depending on them is not reported again as an unknown module.
 */
export function validateModules(
  modules: readonly ApplicationModule[],
  broken: ReadonlySet<string> = new Set(),
  options: ValidateOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map<string, ApplicationModule>();
  for (const module of modules) {
    const other = byName.get(module.name);
    if (other) {
      problems.push({
        file: module.manifest,
        message: `module name '${module.name}' is already used by ${other.manifest}`,
        fix: 'give each module a unique name (module names are global across modules roots)',
      });
      continue;
    }
    byName.set(module.name, module);
  }

  for (const module of byName.values()) {
    for (const dep of module.dependsOn) {
      const target = byName.get(dep);
      if (dep === module.name) {
        problems.push({ file: module.manifest, message: `'${dep}' depends on itself`, fix: `remove '${dep}' from "dependsOn"` });
      } else if (!target && broken.has(dep)) {
        continue;
      } else if (!target) {
        problems.push({
          file: module.manifest,
          message: `depends on unknown module '${dep}'`,
          fix: `remove '${dep}' from "dependsOn" or create ${module.root}/${dep}/module.json (known: ${[...byName.keys()].sort().join(', ')})`,
        });
      } else if (module.shared && !target.shared) {
        problems.push({
          file: module.manifest,
          message: `shared module '${module.name}' depends on non-shared module '${dep}'`,
          fix: `a shared kernel may depend only on shared modules: remove '${dep}' from "dependsOn" or mark ${target.manifest} "shared": true`,
        });
      }
    }
  }

  if (options.allowCycles) return problems;
  for (const cycle of declaredCycles([...byName.values()])) problems.push(declaredCycleProblem(cycle, (name) => byName.get(name)!.manifest));
  return problems;
}

/**
 * The cycles of the declared `dependsOn` graph, each rotated to start at its smallest name.
 * Independent of the order modules and their `dependsOn` entries are listed in (the search
 * visits dependencies sorted), so the same graph always gives the same cycles: `modulith check`
 * reports them, a baseline records them by their modules, and the runtime finds the same ones.
 */
export function declaredCycles(modules: Iterable<{ name: string; dependsOn: readonly string[] }>): string[][] {
  const graph = new Map<string, { dependsOn: string[] }>();
  for (const module of modules) if (!graph.has(module.name)) graph.set(module.name, { dependsOn: [...module.dependsOn].sort() });
  return findCycles(graph).sort((a, b) => a.join('>').localeCompare(b.join('>')));
}

/** A declared cycle as a configuration problem (what the default loader and the runtime report); `fix` replaces the default advice. */
export function declaredCycleProblem(cycle: readonly string[], manifestOf: (name: string) => string, fix?: string): Problem {
  return {
    file: manifestOf(cycle[0]),
    message: `declared dependencies form a cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    fix: fix ?? DECLARED_CYCLE_FIX,
  };
}

export const DECLARED_CYCLE_FIX =
  'remove one of these dependencies; let the lower module publish an event the upper one listens to, or move the shared part into a shared module';

/** Elementary cycles found by depth-first search, each reported once (rotated to start at its smallest name). */
export function findCycles(byName: ReadonlyMap<string, { dependsOn: readonly string[] }>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dep) || dep === name) continue;
      if (state.get(dep) === 'open') {
        const cycle = stack.slice(stack.indexOf(dep));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join('>'), rotated);
      } else if (!state.has(dep)) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) if (!state.has(name)) visit(name);
  return [...cycles.values()];
}
