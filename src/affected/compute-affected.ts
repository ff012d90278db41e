import type { ContractMove } from '../boundaries/index.js';
import type { ApplicationModules } from '../core/index.js';
import type { EventEdge } from './event-edges.js';
import { shellKind } from './shell-files.js';

export interface AffectedInput {
  model: ApplicationModules;
  /** The changed files, project-relative with `/` (renamed: both paths; deleted: the old path). */
  files: readonly string[];
  /** How each touched module's contract moved (summarizeChanges); a module missing here counts as unchanged. */
  contracts: Readonly<Record<string, ContractMove>>;
  /** Who listens to whose events (eventEdges of the modules' module.api.md). */
  events: readonly EventEdge[];
  /**
   * The modules each module actually imports (module -> modules), when the caller has the import
   * graph at hand. Only used for shared modules, which may be used without being declared.
   */
  uses?: ReadonlyMap<string, readonly string[]>;
  /** The commit the change is measured from, reported as is. */
  base?: string | null;
  options?: { allDependents?: boolean };
}

export interface Affected {
  /** Modules with a changed file. */
  changed: string[];
  /** Modules to re-test: the changed ones and those the change reaches. */
  affected: string[];
  /** Why each affected module is affected, in plain words. */
  reasons: Record<string, string>;
  files: string[];
  /** Changed files outside every module: app-shell code and configuration (affects every module), docs (nothing), tests and their helpers (no module). */
  shell: { code: string[]; docs: string[]; tests: string[] };
  /** How each changed module's contract moved. */
  contracts: Record<string, ContractMove>;
  base: string | null;
  allDependents: boolean;
}

/**
 * What a change affects. Pure: the model, the files and the contract moves in, the modules out.
 *
 * - a change confined to a module's internals affects that module only;
 * - a change to its contract also affects its dependents, transitively: the modules declaring it
 *   in dependsOn and those listening to an event it publishes (and, for a shared module, every
 *   module using it);
 * - any change to a shared module affects every module using it: those importing it (`uses`)
 *   or declaring it; without `uses`, every non-shared module (any may use a shared module
 *   without declaring it) plus the shared modules declaring it;
 * - app-shell code or configuration outside every module affects every module; docs and tests
 *   outside modules affect none;
 * - `allDependents`: contracts aside, any change reaches the dependents transitively.
 */
export function computeAffected(input: AffectedInput): Affected {
  const { model } = input;
  const allDependents = input.options?.allDependents === true;
  const files = [...new Set(input.files)].sort();
  const byModule = new Map<string, string[]>();
  const shell = { code: [] as string[], docs: [] as string[], tests: [] as string[] };
  for (const file of files) {
    const module = model.moduleOf(file);
    if (module) byModule.set(module.name, [...(byModule.get(module.name) ?? []), file]);
    else shell[shellKind(file) === 'code' ? 'code' : shellKind(file) === 'docs' ? 'docs' : 'tests'].push(file);
  }
  const changed = [...byModule.keys()].sort();
  const move = (name: string): ContractMove => input.contracts[name] ?? 'unchanged';
  const reasons = new Map<string, string>();
  for (const name of changed) {
    const m = move(name);
    reasons.set(name, m === 'unchanged' ? 'changed (internals only)' : `changed; its contract changed${m === 'breaking' ? ' (breaking)' : ''}`);
  }

  const usersOf = (name: string): string[] => {
    const target = model.get(name);
    if (!target?.shared) return [];
    const users = new Set(model.dependentsOf(name).map((m) => m.name));
    if (input.uses) {
      for (const [from, to] of input.uses) if (from !== name && to.includes(name)) users.add(from);
    } else {
      for (const m of model.modules) if (!m.shared && m.name !== name) users.add(m.name);
    }
    return [...users].sort();
  };

  // Breadth first from the sources, so every module gets the shortest explanation.
  interface Step {
    name: string;
    /** The module whose change started it. */
    origin: string;
  }
  const queue: Step[] = [];
  const whose = (origin: string) => (allDependents ? 'which changed' : 'whose contract changed');
  const reach = (from: Step, name: string, how: 'depends' | 'uses' | { events: string[] }) => {
    if (reasons.has(name)) return;
    const direct = from.name === from.origin;
    const tail = direct ? `${from.name}, ${whose(from.origin)}` : `${from.name}, which is affected by ${allDependents ? 'the change to' : 'the contract change of'} ${from.origin}`;
    const reason =
      how === 'depends'
        ? `depends on ${tail}`
        : how === 'uses'
          ? `uses the shared module ${from.name}, which changed`
          : `listens to ${how.events.join(', ')} of ${tail}`;
    reasons.set(name, reason);
    queue.push({ name, origin: from.origin });
  };

  for (const name of changed) {
    if (allDependents || move(name) !== 'unchanged') queue.push({ name, origin: name });
  }
  // A shared module's internals reach its users (not further, unless its contract moved).
  for (const name of changed) {
    if (model.get(name)?.shared && !allDependents && move(name) === 'unchanged') {
      for (const user of usersOf(name)) {
        if (!reasons.has(user)) reasons.set(user, `uses the shared module ${name}, which changed`);
      }
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const step = queue[i]!;
    for (const dependent of model.dependentsOf(step.name).map((m) => m.name).sort()) reach(step, dependent, 'depends');
    const listeners = new Map<string, string[]>();
    for (const edge of input.events) {
      if (edge.publisher === step.name) listeners.set(edge.listener, [...(listeners.get(edge.listener) ?? []), edge.event]);
    }
    for (const [listener, events] of [...listeners].sort(([a], [b]) => a.localeCompare(b))) reach(step, listener, { events: [...new Set(events)].sort() });
    for (const user of usersOf(step.name)) reach(step, user, 'uses');
  }

  if (shell.code.length > 0) {
    const shown = shell.code.length > 3 ? `${shell.code.slice(0, 3).join(', ')} and ${shell.code.length - 3} more` : shell.code.join(', ');
    for (const m of model.modules) if (!reasons.has(m.name)) reasons.set(m.name, `the app shell changed (${shown})`);
  }

  const affected = [...reasons.keys()].sort();
  return {
    changed,
    affected,
    reasons: Object.fromEntries(affected.map((name) => [name, reasons.get(name)!])),
    files,
    shell,
    contracts: Object.fromEntries(changed.map((name) => [name, move(name)])),
    base: input.base ?? null,
    allDependents,
  };
}
