import { findCycles } from '../../core/index.js';
import type { BoundaryViolation } from './boundary-violation.js';
import type { ModuleEdge } from './classify-imports.js';

/**
 * Cycles in the graph of modules that actually import each other. Usually no file-level cycle
 * exists (orders/a -> billing/index -> billing/b -> orders/index -> orders/c), which is why
 * dependency-cruiser's `circular` cannot see them. One violation per cycle, anchored at its first
 * edge, naming one import for every edge. Cycles of the declared graph are declared-cycles.ts's;
 * analyze merges the two (one violation when they are the same cycle).
 */
export function moduleCycles(edges: readonly ModuleEdge[]): BoundaryViolation[] {
  const representative = new Map<string, ModuleEdge>();
  const graph = new Map<string, { dependsOn: string[] }>();
  for (const edge of edges) {
    if (!edge.structural) continue;
    const key = `${edge.fromModule}>${edge.toModule}`;
    const known = representative.get(key);
    if (!known || edge.from < known.from || (edge.from === known.from && edge.to < known.to)) representative.set(key, edge);
    const node = graph.get(edge.fromModule) ?? { dependsOn: [] };
    if (!node.dependsOn.includes(edge.toModule)) node.dependsOn.push(edge.toModule);
    graph.set(edge.fromModule, node);
    if (!graph.has(edge.toModule)) graph.set(edge.toModule, { dependsOn: [] });
  }
  for (const node of graph.values()) node.dependsOn.sort();

  return findCycles(graph).map((cycle) => {
    const hops = cycle.map((name, i) => representative.get(`${name}>${cycle[(i + 1) % cycle.length]}`)!);
    const first = hops[0];
    const chain = [...cycle, cycle[0]].join(' -> ');
    return {
      rule: 'module-cycle',
      severity: 'error' as const,
      from: first.from,
      to: first.to,
      fromModule: first.fromModule,
      toModule: first.toModule,
      line: first.line,
      cycle,
      message: `modules form a cycle: ${chain} (${hops.map((h) => `${h.from}${h.line ? `:${h.line}` : ''} imports ${h.to}`).join('; ')})`,
      fix: `break one edge: let ${cycle[cycle.length - 1]} publish an event that ${cycle[0]} listens to, or move what both need into a shared module`,
    };
  });
}
