import type { ApplicationModules } from '../core/index.js';

/**
 * The order modules migrate in: shared modules first, then every module after the modules it
 * declares a dependency on (so a table a migration reads already exists), ties by name. A
 * declared cycle (only with a baseline that records it) cannot be ordered: its modules follow in
 * name order. Pure: the same model always gives the same order.
 */
export function migrationOrder(model: ApplicationModules, names: readonly string[] = model.names): string[] {
  const wanted = new Set(names);
  const order: string[] = [];
  const placed = new Set<string>();
  const groups = [model.modules.filter((m) => m.shared), model.modules.filter((m) => !m.shared)];
  for (const group of groups) {
    let pending = group.map((m) => m.name).sort();
    while (pending.length > 0) {
      const ready = pending.filter((name) => model.get(name)!.dependsOn.every((d) => placed.has(d) || !model.get(d) || d === name));
      // Nothing ready: a declared cycle. Take the first by name to go on deterministically.
      const next = ready.length > 0 ? ready : [pending[0]!];
      for (const name of next) {
        placed.add(name);
        order.push(name);
      }
      pending = pending.filter((name) => !placed.has(name));
    }
  }
  return order.filter((name) => wanted.has(name));
}
