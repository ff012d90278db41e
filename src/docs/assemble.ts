import type { ApplicationModules, ModuleContract, Violation } from '../core/index.js';
import { byText, type CodeFacts } from './code-facts.js';
import type { DocsEdge, DocsModel, DocsModule, DocsViolation } from './docs-model.js';

/** Everything the model is built from, already computed by the check, the contracts and the code analyses. */
export interface DocsFacts {
  model: ApplicationModules;
  /** Production files and lines per module. */
  sizes: ReadonlyMap<string, { files: number; lines: number }>;
  contracts: ReadonlyMap<string, ModuleContract>;
  /** The check's scanned files with their resolved imports (project-relative). */
  files: ReadonlyArray<{ path: string; dependencies: ReadonlyArray<{ resolved: string; couldNotResolve: boolean }> }>;
  code: CodeFacts;
  /** Every violation the check found, and those of them the baseline does not suppress. */
  found: readonly Violation[];
  open: readonly Violation[];
}

/**
 * The DocsModel, a pure function of the facts: every list sorted in code-unit order, nothing
 * from the clock or the machine, so the same app gives the same bytes.
 */
export function assembleDocsModel(facts: DocsFacts): DocsModel {
  const { model } = facts;
  const openSet = new Set(facts.open);
  const edges = new Map<string, DocsEdge>();
  const dependency = (from: string, to: string): DocsEdge => edge(edges, 'dependency', from, to, model.require(from).dependsOn.includes(to));

  for (const m of model.modules) for (const dep of m.dependsOn) if (model.get(dep)) dependency(m.name, dep);
  for (const file of facts.files) {
    const from = model.moduleOf(file.path)?.name;
    if (!from) continue; // the app shell is no node of the graph
    for (const dep of file.dependencies) {
      const to = dep.couldNotResolve ? undefined : model.moduleOf(dep.resolved)?.name;
      if (to && to !== from) dependency(from, to).imports.push({ from: file.path, to: dep.resolved });
    }
  }
  for (const use of facts.code.calls) {
    if (use.caller !== use.module && model.get(use.caller) && model.get(use.module)) dependency(use.caller, use.module).calls.push(...use.calls);
  }
  const violationsOf = new Map<string, { open: DocsViolation[]; debt: DocsViolation[] }>();
  for (const v of facts.found) {
    if (!v.fromModule || !model.get(v.fromModule)) continue;
    const docs: DocsViolation = { rule: v.rule, severity: v.severity, from: v.from, to: v.to, message: v.message };
    const kind = openSet.has(v) ? 'open' : 'debt';
    const lists = violationsOf.get(v.fromModule) ?? { open: [], debt: [] };
    violationsOf.set(v.fromModule, lists);
    lists[kind].push(docs);
    if (v.toModule && v.toModule !== v.fromModule && model.get(v.toModule)) {
      const e = dependency(v.fromModule, v.toModule);
      (kind === 'open' ? e.violations : e.debt).push(docs);
    }
  }

  // Events: publisher -> listener module, matched on `name@version` (or the name alone when a version is unknown).
  const publishes = new Map(model.modules.map((m) => [m.name, unique((facts.contracts.get(m.name)?.publishes ?? []).map((e) => e.key))]));
  const listens = new Map(model.modules.map((m) => [m.name, unique((facts.contracts.get(m.name)?.listens ?? []).map((e) => listenedEvent(e.text)))]));
  for (const listener of model.modules) {
    for (const event of listens.get(listener.name)!) {
      const publishers = model.modules.filter((p) => p.name !== listener.name && publishes.get(p.name)!.some((e) => sameEvent(e, event)));
      // A shared module declaring the event class lists it too; the flow starts at the module
      // that really publishes it, so the shared one counts only when nobody else does.
      const actual = publishers.some((p) => !p.shared) ? publishers.filter((p) => !p.shared) : publishers;
      for (const publisher of actual) {
        const declared = model.mayUse(listener.name, publisher.name);
        edge(edges, 'event', publisher.name, listener.name, declared).events.push(event);
      }
    }
  }

  const sortedEdges = [...edges.values()].sort((a, b) => byText(a.id, b.id));
  for (const e of sortedEdges) {
    e.imports = uniqueBy(e.imports, (p) => `${p.from}\0${p.to}`).sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to));
    e.calls = unique(e.calls);
    e.events = unique(e.events);
    e.violations.sort(compareViolations);
    e.debt.sort(compareViolations);
    e.status = statusOf(e, model.get(e.to)?.shared === true);
  }

  const modules: DocsModule[] = [...model.modules]
    .sort((a, b) => byText(a.name, b.name))
    .map((m) => {
      const contract = facts.contracts.get(m.name);
      const lists = violationsOf.get(m.name) ?? { open: [], debt: [] };
      return {
        name: m.name,
        dir: m.dir,
        shared: m.shared,
        ...(m.description ? { description: m.description } : {}),
        owners: [...m.owners],
        size: facts.sizes.get(m.name) ?? { files: 0, lines: 0 },
        dependsOn: [...m.dependsOn].sort(byText),
        dependents: model.dependentsOf(m.name).map((d) => d.name).sort(byText),
        facades: [...(contract?.facades ?? [])]
          .sort((a, b) => byText(a.name, b.name))
          .map((f) => ({ name: f.name, methods: [...f.methods].sort((a, b) => byText(a.key, b.key) || byText(a.text, b.text)).map((e) => e.text) })),
        publishes: publishes.get(m.name)!,
        listens: listens.get(m.name)!,
        routes: unique((contract?.routes ?? []).map((e) => e.key)),
        tables: [...(facts.code.tables.get(m.name) ?? [])].sort(byText),
        violations: lists.open.sort(compareViolations),
        debt: lists.debt.sort(compareViolations),
      };
    });
  return { version: 1, modules, edges: sortedEdges };
}

function edge(edges: Map<string, DocsEdge>, kind: DocsEdge['kind'], from: string, to: string, declared: boolean): DocsEdge {
  const id = `${kind}:${from}->${to}`;
  let found = edges.get(id);
  if (!found) {
    found = { id, kind, from, to, declared, imports: [], calls: [], events: [], violations: [], debt: [], status: 'ok' };
    edges.set(id, found);
  }
  return found;
}

/** The status docs-model.ts defines: errors decide the colour; warnings (an unused dependency) are listed only. */
function statusOf(e: DocsEdge, toShared: boolean): DocsEdge['status'] {
  if (e.violations.some((v) => v.severity !== 'warn')) return 'violation';
  if (e.debt.length > 0) return 'debt';
  // An event may be declared in a shared module and published by another: who may listen is the
  // check's business (it reports the listener's imports), so an event flow is never marked here.
  if (e.kind === 'event') return 'ok';
  if (!e.declared && !toShared && (e.imports.length > 0 || e.calls.length > 0)) return 'undeclared';
  if (e.declared && e.imports.length === 0 && e.calls.length === 0) return 'unused';
  return 'ok';
}

/** `listenerId <- name@version` (a contract's listens entry) -> `name@version`. */
function listenedEvent(text: string): string {
  const at = text.lastIndexOf(' <- ');
  return at === -1 ? text : text.slice(at + 4);
}

function sameEvent(published: string, listened: string): boolean {
  if (published === listened) return true;
  const name = (key: string): string => key.slice(0, key.lastIndexOf('@') === -1 ? key.length : key.lastIndexOf('@'));
  return (published.endsWith('@?') || listened.endsWith('@?')) && name(published) === name(listened);
}

function compareViolations(a: DocsViolation, b: DocsViolation): number {
  return byText(a.from, b.from) || byText(a.rule, b.rule) || byText(a.to, b.to) || byText(a.message, b.message);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)].sort(byText);
}

function uniqueBy<T>(list: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of list) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
