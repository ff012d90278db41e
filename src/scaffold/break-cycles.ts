import { findCycles } from '../core/index.js';
import type { ModuleEdge } from './import-graph.js';

/** An import edge left out of `dependsOn` to break a cycle: its imports stay as violations for the baseline. */
export interface DroppedDependency extends ModuleEdge {
  /** The cycle it broke, e.g. ['orders', 'billing'] for orders -> billing -> orders. */
  cycle: string[];
}

/**
 * Makes a module graph acyclic by dropping edges: while a cycle remains, drop its droppable edge
 * with the fewest imports (ties: alphabetical), then look again. `fixed` edges (dependencies an
 * existing module.json already declares) are never dropped.
 * Greedy, so not always the minimum number of edges (that problem is NP-hard), but each drop is
 * the cheapest way out of the cycle it breaks.
 */
export function breakCycles(
  modules: readonly string[],
  edges: readonly ModuleEdge[],
  fixed: ReadonlyMap<string, readonly string[]>,
): { kept: ModuleEdge[]; dropped: DroppedDependency[]; unbreakable: string[][] } {
  let kept = [...edges];
  const dropped: DroppedDependency[] = [];
  const unbreakable: string[][] = [];
  const declared = (name: string) => fixed.get(name) ?? [];
  for (let guard = 0; guard < 10_000; guard++) {
    const graph = new Map(
      modules.map((name) => [
        name,
        { dependsOn: fixed.has(name) ? [...declared(name)] : kept.filter((e) => e.from === name).map((e) => e.to) },
      ]),
    );
    const cycles = findCycles(graph).filter((c) => !unbreakable.some((u) => u.join('>') === c.join('>')));
    if (cycles.length === 0) break;
    const cycle = cycles[0];
    const candidates = cycle
      .map((from, i) => ({ from, to: cycle[(i + 1) % cycle.length] }))
      .map(({ from, to }) => kept.find((e) => e.from === from && e.to === to && !fixed.has(from)))
      .filter((e): e is ModuleEdge => e !== undefined)
      .sort((a, b) => a.imports - b.imports || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    if (candidates.length === 0) {
      unbreakable.push(cycle);
      continue;
    }
    const victim = candidates[0];
    kept = kept.filter((e) => e !== victim);
    dropped.push({ ...victim, cycle });
  }
  return { kept, dropped, unbreakable };
}
