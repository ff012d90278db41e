import ts from 'typescript';
import { forEachNode, nameText, type CodeBase } from './code-base.js';
import type { FacadeUse } from './extraction-report.js';
import type { FacadeClass } from './facade-contracts.js';

/**
 * Every place a module injects another module's facade: constructor parameters typed with the
 * facade class (Nest's usual injection), `@Inject(Facade)` parameters and properties. The methods
 * are the `this.<property>.<method>(` calls in the same class.
 */
export function findFacadeUses(code: CodeBase, facades: readonly FacadeClass[]): FacadeUse[] {
  return findFacadeUsesIn(code, facades, [...code.allFiles()].map(({ module, source }) => ({ caller: module.name, source })));
}

/** The same, in the given files, each with the name of its caller (a module, or e.g. the app shell). */
export function findFacadeUsesIn(code: CodeBase, facades: readonly FacadeClass[], files: ReadonlyArray<{ caller: string; source: ts.SourceFile }>): FacadeUse[] {
  const bySymbol = new Map(facades.map((f) => [f.symbol, f]));
  const uses = new Map<string, FacadeUse>();
  const record = (facade: FacadeClass, caller: string, at: ts.Node, property: string | undefined, cls: ts.ClassDeclaration): void => {
    const key = `${caller}\0${facade.module}\0${facade.name}`;
    let use = uses.get(key);
    if (!use) {
      use = { module: facade.module, facade: facade.name, caller, methods: [], sites: [] };
      uses.set(key, use);
    }
    use.sites.push(code.location(at));
    if (property) for (const method of calledMethods(cls, property)) if (!use.methods.includes(method)) use.methods.push(method);
  };

  for (const { caller, source } of files) {
    forEachNode(source, (node) => {
      if (!ts.isClassDeclaration(node)) return;
      for (const member of node.members) {
        if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            const facade = injected(code, bySymbol, parameter, parameter.type);
            if (facade && facade.module !== caller) record(facade, caller, parameter, nameText(parameter.name), node);
          }
        } else if (ts.isPropertyDeclaration(member) && code.decorator(member, 'Inject')) {
          const facade = injected(code, bySymbol, member, member.type);
          if (facade && facade.module !== caller) record(facade, caller, member, nameText(member.name), node);
        }
      }
    });
  }
  for (const use of uses.values()) use.methods.sort();
  return [...uses.values()].sort((a, b) => a.caller.localeCompare(b.caller) || a.module.localeCompare(b.module) || a.facade.localeCompare(b.facade));
}

/** The facade a parameter or property receives: its @Inject(token), else its type. */
function injected(code: CodeBase, facades: ReadonlyMap<ts.Symbol, FacadeClass>, node: ts.Node, type: ts.TypeNode | undefined): FacadeClass | undefined {
  const token = code.decorator(node, 'Inject')?.args[0];
  if (token) return facades.get(code.symbolAt(token)!);
  if (type && ts.isTypeReferenceNode(type)) return facades.get(code.symbolAt(type.typeName)!);
  return undefined;
}

function calledMethods(cls: ts.ClassDeclaration, property: string): string[] {
  const methods: string[] = [];
  forEachNode(cls, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const target = node.expression.expression;
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && target.name.text === property) {
      methods.push(node.expression.name.text);
    }
  });
  return methods;
}
