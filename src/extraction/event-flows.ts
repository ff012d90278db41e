import ts from 'typescript';
import type { ApplicationModule } from '../core/index.js';
import { forEachNode, nameText, numberLiteral, propertyOf, stringLiteral, type CodeBase } from './code-base.js';
import type { ConsumedEvent, EventRef, PublishedEvent, SourceLocation } from './extraction-report.js';

/** A @ModuleEvent class. */
export interface EventClass extends EventRef, SourceLocation {
  symbol: ts.Symbol;
}

/** Where events are constructed (to be published) and listened to, across every module. */
export interface EventFlows {
  events: ReadonlyMap<ts.Symbol, EventClass>;
  publications: Array<{ event: EventClass; module: string } & SourceLocation>;
  listeners: Array<{ event: EventClass; module: string; listener: string } & SourceLocation>;
}

/**
 * Reads every module's code for @ModuleEvent classes, `new X(...)` of them (an event is built to
 * be published: `publisher.publish(new X(...))`, `publish(new X(...))` in a transaction) and
 * @OnModuleEvent(X) listeners.
 */
export function findEventFlows(code: CodeBase): EventFlows {
  const events = new Map<ts.Symbol, EventClass>();
  for (const { module, source } of code.allFiles()) {
    forEachNode(source, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const decorator = code.decorator(node, 'ModuleEvent');
      const symbol = decorator && code.symbolAt(node.name);
      if (!decorator || !symbol) return;
      const options = decorator.args[0] && code.initializerOf(decorator.args[0]);
      const name = stringLiteral(propertyOf(options, 'name')) ?? null;
      const versionNode = propertyOf(options, 'version');
      const version = versionNode ? (numberLiteral(versionNode) ?? null) : 1;
      const declaredOwner = propertyOf(options, 'module');
      const owner = declaredOwner ? (stringLiteral(declaredOwner) ?? null) : name?.includes('.') ? name.slice(0, name.indexOf('.')) : null;
      events.set(symbol, { symbol, name, version, class: node.name.text, declaredIn: module.name, owner, ...code.location(node) });
    });
  }

  const publications: EventFlows['publications'] = [];
  const listeners: EventFlows['listeners'] = [];
  // No event class, so nothing publishes or listens to one: no second walk of every file.
  if (events.size === 0) return { events, publications, listeners };
  for (const { module, source } of code.allFiles()) {
    forEachNode(source, (node) => {
      if (ts.isNewExpression(node)) {
        const event = events.get(code.symbolAt(node.expression)!);
        if (event) publications.push({ event, module: module.name, ...code.location(node) });
      } else if (ts.isMethodDeclaration(node)) {
        const decorator = code.decorator(node, 'OnModuleEvent');
        const event = decorator?.args[0] && events.get(code.symbolAt(decorator.args[0])!);
        if (!decorator || !event) return;
        const owner = ts.isClassDeclaration(node.parent) ? node.parent.name?.text : undefined;
        const id = stringLiteral(propertyOf(decorator.args[1], 'id')) ?? `${owner ?? '?'}.${nameText(node.name) ?? '?'}`;
        listeners.push({ event, module: module.name, listener: id, ...code.location(node) });
      }
    });
  }
  return { events, publications, listeners };
}

/**
 * The events a module publishes (it constructs them, or declares them as its own with
 * `module: NAME`) with their listeners elsewhere, and the events it listens to with the modules
 * that publish them. Once it runs in its own process, all of them travel over the broker.
 */
export function analyzeEvents(module: ApplicationModule, flows: EventFlows): { publishes: PublishedEvent[]; consumes: ConsumedEvent[] } {
  const ref = (e: EventClass): EventRef => ({ name: e.name, version: e.version, class: e.class, declaredIn: e.declaredIn, owner: e.owner });
  const published = new Map<EventClass, PublishedEvent>();
  const entry = (event: EventClass): PublishedEvent => {
    let found = published.get(event);
    if (!found) {
      found = {
        ...ref(event),
        publishedAt: [],
        consumers: flows.listeners
          .filter((l) => l.event === event && l.module !== module.name)
          .map((l) => ({ module: l.module, listener: l.listener, file: l.file, line: l.line })),
      };
      published.set(event, found);
    }
    return found;
  };
  for (const p of flows.publications) if (p.module === module.name) entry(p.event).publishedAt.push({ file: p.file, line: p.line });
  for (const event of flows.events.values()) if (event.owner === module.name) entry(event);

  const consumes: ConsumedEvent[] = flows.listeners
    .filter((l) => l.module === module.name)
    .map((l) => ({
      ...ref(l.event),
      listener: l.listener,
      file: l.file,
      line: l.line,
      publishers: [...new Set(flows.publications.filter((p) => p.event === l.event).map((p) => p.module))].sort(),
    }));
  const byName = (a: EventRef, b: EventRef) => (a.name ?? a.class).localeCompare(b.name ?? b.class);
  return { publishes: [...published.values()].sort(byName), consumes: consumes.sort(byName) };
}
