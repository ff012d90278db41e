import type { ModuleContract } from '../core/index.js';

/** A module listening to an event another module publishes (from their module.api.md). */
export interface EventEdge {
  listener: string;
  publisher: string;
  /** `name@version`, e.g. `media.job.completed@1`. */
  event: string;
}

/**
 * Who listens to whose events: a `listens` entry `listenerId <- name@version` of one module
 * against the `publishes` entry `name@version` of another. Sorted; a module listening to its own
 * events is no edge.
 */
export function eventEdges(contracts: ReadonlyMap<string, ModuleContract>): EventEdge[] {
  const publishers = new Map<string, string[]>();
  for (const [name, contract] of contracts) {
    for (const entry of contract.publishes) publishers.set(entry.key, [...(publishers.get(entry.key) ?? []), name]);
  }
  const edges = new Map<string, EventEdge>();
  for (const [listener, contract] of contracts) {
    for (const entry of contract.listens) {
      const event = /<-\s*(\S+)/.exec(entry.text)?.[1];
      if (!event) continue;
      for (const publisher of publishers.get(event) ?? []) {
        if (publisher !== listener) edges.set(`${listener}\0${publisher}\0${event}`, { listener, publisher, event });
      }
    }
  }
  return [...edges.values()].sort((a, b) => a.listener.localeCompare(b.listener) || a.publisher.localeCompare(b.publisher) || a.event.localeCompare(b.event));
}
