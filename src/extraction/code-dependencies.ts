import ts from 'typescript';
import type { ApplicationModule } from '../core/index.js';
import { forEachNode, type CodeBase } from './code-base.js';
import type { SourceLocation } from './extraction-report.js';
import type { EventFlows } from './event-flows.js';

export interface CodeDependency extends SourceLocation {
  module: string;
  via: 'import' | 'event';
}

/**
 * The modules a module's code depends on, each with its first use: imports of any kind
 * (static, type-only, re-exports, `import()`, `require()`) that resolve into another module's
 * folder, and the owners of the events it listens to (the runtime refuses a listener of a module
 * it may not use).
 */
export function codeDependencies(code: CodeBase, module: ApplicationModule, flows: EventFlows): CodeDependency[] {
  const found = new Map<string, CodeDependency>();
  const add = (target: string | undefined, via: CodeDependency['via'], at: ts.Node): void => {
    if (!target || target === module.name || found.has(target) || !code.model.get(target)) return;
    found.set(target, { module: target, via, ...code.location(at) });
  };
  for (const source of code.filesOf(module.name)) {
    forEachNode(source, (node) => {
      const specifier = moduleSpecifier(node);
      if (!specifier) return;
      const file = code.checker.getSymbolAtLocation(specifier)?.declarations?.find(ts.isSourceFile);
      if (file && code.isProjectFile(file)) add(code.moduleOf(file)?.name, 'import', node);
    });
  }
  const listened = flows.listeners.filter((l) => l.module === module.name);
  for (const listener of listened) {
    if (listener.event.owner && !found.has(listener.event.owner) && listener.event.owner !== module.name && code.model.get(listener.event.owner)) {
      found.set(listener.event.owner, { module: listener.event.owner, via: 'event', file: listener.file, line: listener.line });
    }
  }
  return [...found.values()].sort((a, b) => a.module.localeCompare(b.module));
}

function moduleSpecifier(node: ts.Node): ts.StringLiteralLike | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
    return node.moduleSpecifier;
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteralLike(node.moduleReference.expression)) {
    return node.moduleReference.expression;
  }
  if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])) {
    const callee = node.expression;
    if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) return node.arguments[0];
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) return node.argument.literal;
  return undefined;
}
