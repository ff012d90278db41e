import ts from 'typescript';
import type { ApplicationModule } from '../core/index.js';
import { hasModifier, isPublicInstanceMember, nameText, oneLine, possessive, propertyOf, type CodeBase } from './code-base.js';
import type { FacadeContract, FacadeMethod, Finding, WireIssue } from './extraction-report.js';
import type { WireTypes } from './wire-types.js';

/** A facade class of a module, as found in its code. */
export interface FacadeClass {
  name: string;
  module: string;
  symbol: ts.Symbol;
  declaration: ts.ClassDeclaration;
  source: FacadeContract['source'];
}

/**
 * A module's facades: the `provide` classes of its @FeatureModule `facades`. A module whose
 * @FeatureModule declares no `facades` (or that has none) falls back to the abstract classes with
 * abstract methods its index.ts exports, with a warning. Other exported abstract classes of a
 * module that declares its facades (settings tokens, pluggable parts) stay in process: they are
 * not facades.
 */
export function findFacades(code: CodeBase, module: ApplicationModule): { facades: FacadeClass[]; findings: Finding[] } {
  const facades: FacadeClass[] = [];
  const findings: Finding[] = [];
  const add = (symbol: ts.Symbol, declaration: ts.ClassDeclaration, source: FacadeClass['source']): void => {
    if (!facades.some((f) => f.symbol === symbol)) facades.push({ name: symbol.name, module: module.name, symbol, declaration, source });
  };

  let featureModules = 0;
  let declared = false;
  for (const source of code.filesOf(module.name)) {
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      const feature = code.decorator(statement, 'FeatureModule');
      if (!feature) continue;
      featureModules++;
      const options = feature.args[0] && code.initializerOf(feature.args[0]);
      const list = propertyOf(options, 'facades');
      if (!list) continue;
      declared = true;
      const elements = code.initializerOf(list);
      if (!ts.isArrayLiteralExpression(elements)) {
        findings.push(facadeSource(code, module, elements, 'its @FeatureModule `facades` is not an array literal, so its facades cannot be read', 'list the facades inline: facades: [{ provide: XFacade, useExisting: XService }]'));
        continue;
      }
      for (const element of elements.elements) {
        const token = ts.isObjectLiteralExpression(element) ? propertyOf(element, 'provide') : element;
        const symbol = token && code.symbolAt(token);
        const declaration = code.classOf(symbol);
        if (symbol && declaration) add(symbol, declaration, 'feature-module');
        else {
          findings.push(facadeSource(code, module, element, `the facade token ${oneLine(token ?? element)} is not a class of this project, so its contract cannot be checked`, 'provide each facade under its abstract class: { provide: XFacade, useExisting: XService }'));
        }
      }
    }
  }

  if (!declared) {
    const exported = [...code.publicExports(module).values()]
      .map((symbol) => ({ symbol, declaration: code.classOf(symbol) }))
      .filter((e): e is { symbol: ts.Symbol; declaration: ts.ClassDeclaration } =>
        e.declaration !== undefined && hasModifier(e.declaration, ts.SyntaxKind.AbstractKeyword) && e.declaration.members.some((m) => ts.isMethodDeclaration(m) && hasModifier(m, ts.SyntaxKind.AbstractKeyword)),
      );
    for (const e of exported) add(e.symbol, e.declaration, 'index-export');
    if (exported.length > 0) {
      const names = exported.map((e) => e.symbol.name).join(', ');
      findings.push({
        severity: 'warning',
        kind: 'facade-source',
        module: module.name,
        file: module.entry ?? module.manifest,
        message:
          featureModules === 0
            ? `no @FeatureModule in ${module.dir}: treating the abstract classes its index.ts exports (${names}) as its facades`
            : `${possessive(module.name)} @FeatureModule declares no facades: treating the abstract classes its index.ts exports (${names}) as its facades`,
        fix: `declare them in @FeatureModule({ name: '${module.name}', facades: [{ provide: ${exported[0].symbol.name}, useExisting: ... }] })`,
      });
    }
  }

  const publicSymbols = new Set(code.publicExports(module).values());
  for (const facade of facades) {
    if (publicSymbols.has(facade.symbol)) continue;
    findings.push({
      severity: 'warning',
      kind: 'facade-not-exported',
      module: module.name,
      ...code.location(facade.declaration),
      message: `${facade.name} is a facade of ${module.name} but ${module.entry ?? `${module.dir}/index.ts`} does not export it, so no other module can inject it`,
      fix: `export ${facade.name} from ${module.entry ?? `${module.dir}/index.ts`}`,
    });
  }
  return { facades, findings };
}

/**
 * A facade's contract as the remote runtime sees it: its public methods (through project base
 * classes), its @Facade list, and for each method whether it is async and whether its parameters
 * and result can cross the wire. `calledBy` names the module that will call it remotely (for a
 * facade of another module), which the findings mention.
 */
export function checkFacadeContract(code: CodeBase, wire: WireTypes, facade: FacadeClass, calledBy?: string): { contract: FacadeContract; findings: Finding[] } {
  const findings: Finding[] = [];
  const where = code.location(facade.declaration);
  const role = calledBy ? ` (${calledBy} will call it remotely)` : '';
  const finding = (f: Omit<Finding, 'module'>): void => void findings.push({ module: facade.module, ...f });

  const methods = new Map<string, ts.MethodDeclaration>();
  for (const cls of code.classChain(facade.declaration)) {
    for (const member of cls.members) {
      if (!isPublicInstanceMember(member)) continue;
      const name = nameText(member.name as ts.PropertyName | undefined);
      if (!name) continue;
      if (ts.isMethodDeclaration(member)) {
        if (!methods.has(name)) methods.set(name, member);
      } else if (ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member)) {
        finding({
          severity: 'blocker',
          kind: 'facade-property',
          ...code.location(member),
          message: `${facade.name}.${name} is a property${role}: a remote facade forwards method calls only`,
          fix: `turn it into a method returning a Promise (e.g. ${name}(): Promise<...>) or move it out of the facade`,
        });
      }
    }
  }

  const decorator = code.decorator(facade.declaration, 'Facade');
  let declaredMethods: string[] | null | undefined = null;
  const methodList = `{ ${[...methods.keys()].map((m) => `${m}: true`).join(', ')} }`;
  if (!decorator) {
    finding({
      severity: 'blocker',
      kind: 'missing-facade-decorator',
      ...where,
      message: `${facade.name} has no @Facade({...})${role}: abstract methods do not exist at runtime, so a remote client cannot know them`,
      fix: `add @Facade<${facade.name}>(${methodList}) (from 'nest-modulith') above 'abstract class ${facade.name}'`,
    });
  } else {
    const list = decorator.args[0] && code.initializerOf(decorator.args[0]);
    if (list && ts.isObjectLiteralExpression(list)) {
      declaredMethods = list.properties.map((p) => nameText(p.name as ts.PropertyName | undefined)).filter((n): n is string => n !== undefined);
      const missing = [...methods.keys()].filter((m) => !declaredMethods!.includes(m));
      const extra = declaredMethods.filter((m) => !methods.has(m));
      if (missing.length > 0 || extra.length > 0) {
        const parts = [
          ...(missing.length ? [`does not list ${missing.join(', ')} (not callable remotely)`] : []),
          ...(extra.length ? [`lists ${extra.join(', ')}, which ${extra.length === 1 ? 'is' : 'are'} not a method of ${facade.name}`] : []),
        ];
        finding({
          severity: 'blocker',
          kind: 'facade-decorator-mismatch',
          ...code.location(decorator.node),
          message: `@Facade on ${facade.name} ${parts.join(' and ')}${role}`,
          fix: `write @Facade<${facade.name}>(${methodList}): the type argument makes the compiler keep it complete`,
        });
      }
    } else {
      declaredMethods = undefined;
      finding({
        severity: 'warning',
        kind: 'facade-decorator-mismatch',
        ...code.location(decorator.node),
        message: `the @Facade list of ${facade.name} is not an object literal, so it cannot be compared with its methods`,
        fix: `write the list inline: @Facade<${facade.name}>(${methodList})`,
      });
    }
  }

  for (const [name, method] of methods) {
    if (!RESERVED.has(name)) continue;
    finding({
      severity: 'blocker',
      kind: 'facade-decorator-mismatch',
      ...code.location(method),
      message: `${facade.name}.${name}() has a reserved name${role}: the remote runtime never answers '${name}' (it reaches the prototype chain or makes the client look like a Promise)`,
      fix: `rename ${name}() in ${facade.name} and its implementation`,
    });
  }

  const contractMethods: FacadeMethod[] = [];
  for (const [name, method] of methods) {
    const line = code.line(method);
    const type = method.type;
    const promised = type && promiseArgument(code, type);
    const isAsync = promised !== undefined || hasModifier(method, ts.SyntaxKind.AsyncKeyword);
    const issues: WireIssue[] = [];
    method.parameters.forEach((parameter, index) => {
      const label = ts.isIdentifier(parameter.name) ? parameter.name.text : `argument${index + 1}`;
      issues.push(...wire.check(parameter.type, parameter.dotDotDotToken ? `...${label}` : label));
      if (parameter.questionToken || parameter.initializer) {
        issues.push({
          severity: 'warning' as const,
          path: label,
          type: parameter.type ? oneLine(parameter.type) : '(none)',
          reason: 'is optional: an argument passed as undefined is refused by the codec (undefined array element)',
          fix: 'pass null for "no value", or take one input object whose properties may be left out',
        });
      }
    });
    issues.push(...wire.check(type ? (promised ? promised.node : type) : undefined, 'result'));
    if (type && !isAsync) {
      finding({
        severity: 'blocker',
        kind: 'sync-method',
        file: where.file,
        line,
        message: `${facade.name}.${name}() returns ${oneLine(type)}, not a Promise${role}: a remote call is always async`,
        fix: `declare it as ${name}(...): Promise<${oneLine(type)}> and make the implementation async`,
      });
    }
    for (const issue of issues) {
      finding({
        severity: issue.severity,
        kind: 'wire-type',
        file: where.file,
        line,
        message: `${facade.name}.${name}(): ${issue.path} (${issue.type}) ${issue.reason}${role}`,
        fix: issue.fix,
      });
    }
    const parameters = method.parameters.map((p) => oneLine(p)).join(', ');
    contractMethods.push({
      name,
      line,
      signature: `${name}(${parameters})${type ? `: ${oneLine(type)}` : ''}`,
      async: isAsync,
      issues,
    });
  }

  return {
    contract: { name: facade.name, module: facade.module, ...where, source: facade.source, declaredMethods, methods: contractMethods },
    findings,
  };
}

/** Names @Facade refuses at runtime (src/remote): Object.prototype's, and those that make a client thenable. */
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'then', 'catch', 'finally']);

/** `Promise<T>` / `PromiseLike<T>` (the lib's, which the analysis program leaves unresolved): T. */
function promiseArgument(code: CodeBase, type: ts.TypeNode): { node: ts.TypeNode | undefined } | undefined {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  if (type.typeName.text !== 'Promise' && type.typeName.text !== 'PromiseLike') return undefined;
  if (code.symbolAt(type.typeName)) return undefined; // a project type that happens to be called Promise
  return { node: type.typeArguments?.[0] };
}

function facadeSource(code: CodeBase, module: ApplicationModule, node: ts.Node, message: string, fix: string): Finding {
  return { severity: 'warning', kind: 'facade-source', module: module.name, ...code.location(node), message: `${module.name}: ${message}`, fix };
}
