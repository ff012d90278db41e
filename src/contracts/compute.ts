import { resolve } from 'node:path';
import ts from 'typescript';
import { entryKey, type ApplicationModule, type ApplicationModules, type ContractEntry, type FacadeSection, type ModuleContract } from '../core/index.js';
import {
  CodeBase,
  findEventFlows,
  findFacades,
  forEachNode,
  hasModifier,
  isPublicInstanceMember,
  nameText,
  propertyOf,
  stringLiteral,
  type EventClass,
  type EventFlows,
} from '../extraction/index.js';
import { References } from './references.js';
import { TypePrinter } from './type-printer.js';

export interface ComputeOptions {
  /** tsconfig resolving imports, project-relative (`--tsconfig`). */
  tsconfig?: string;
  /** Compute these modules only; default every module. */
  modules?: readonly string[];
  /**
   * The program's root files (project-relative): the modules' index.ts files, the files that may
   * hold a part of a contract (controllers, listeners, event classes and publications, @FeatureModule)
   * and every event declaration. Default: every production file of every module. Other files join
   * the program when a declaration imports them.
   */
  roots?: readonly string[];
  /** Every module's production files (project-relative, sorted), when the caller listed them already. */
  files?: ReadonlyMap<string, string[]>;
}

export interface ComputedContracts {
  contracts: Map<string, ModuleContract>;
  /**
   * Per module, the project files (relative, `/`) its contract was read from: its index.ts and the
   * barrels it re-exports through, every declaration printed in it, the files holding its
   * controllers, listeners, publications and @FeatureModule. It changes only when one of them
   * does (or a file that may join them: see load-contracts.ts).
   */
  files: Map<string, string[]>;
  /** The tsconfig chain the compiler options came from (absolute). */
  configFiles: string[];
}

/**
 * Every module's contract, from its code, with the TypeScript compiler (one program over the
 * modules' production files, built like the extraction analysis': no lib, npm packages
 * unresolved, so only the project's own files are parsed).
 */
export function computeContracts(model: ApplicationModules, options: ComputeOptions = {}): ComputedContracts {
  // Only declarations matter (never a method body), so the program follows only the imports a
  // declaration, a decorator or a `new` uses: it stays small however large the modules are.
  const code = CodeBase.load(model, {
    ...(options.tsconfig ? { tsconfig: options.tsconfig } : {}),
    ...(options.roots ? { roots: options.roots } : {}),
    ...(options.files ? { files: options.files } : {}),
    scope: 'declarations',
  });
  const flows = findEventFlows(code);
  const wanted = options.modules ? model.modules.filter((m) => options.modules!.includes(m.name)) : model.modules;
  const contracts = new Map<string, ModuleContract>();
  const files = new Map<string, string[]>();
  // A file that may hold a part of a contract is a root (see ComputeOptions.roots): only roots are searched for one.
  const roots = options.roots ? new Set(options.roots) : undefined;
  for (const module of wanted) {
    const read = new Set<string>();
    contracts.set(module.name, moduleContract(code, flows, module, read, roots));
    files.set(module.name, [...read].sort());
  }
  return { contracts, files, configFiles: [...code.configFiles] };
}

function moduleContract(code: CodeBase, flows: EventFlows, module: ApplicationModule, read: Set<string>, roots: ReadonlySet<string> | undefined): ModuleContract {
  const full = new TypePrinter(code, read);
  const references = new References(code, read);
  const facades = findFacades(code, module).facades;
  // Its index.ts and the barrels behind it, and every name of its own files that decides a part
  // of the contract (decorators: @FeatureModule's facades, @OnModuleEvent's event, routes; `new`:
  // an event published; base classes) with the imports and barrels it goes through.
  const index = module.entry ? code.program.getSourceFile(resolve(code.model.rootDir, module.entry)) : undefined;
  if (index) for (const file of references.closure(index)) read.add(file);
  const eventClasses = new Set([...flows.events.values()].map((e) => e.symbol));
  for (const source of code.filesOf(module.name)) {
    if (roots && !roots.has(code.path(source))) continue;
    let surface = false;
    forEachNode(source, (node) => {
      if (ts.isDecorator(node) && ['FeatureModule', 'OnModuleEvent', 'Controller'].includes(code.calleeName(node.expression) ?? '')) {
        surface = true;
        references.inside(node);
      } else if (ts.isNewExpression(node) && eventClasses.has(code.symbolAt(node.expression)!)) {
        surface = true;
        references.inside(node.expression);
      }
    });
    if (surface) read.add(code.path(source));
  }
  const listeners = flows.listeners.filter((l) => l.module === module.name);
  for (const l of listeners) read.add(l.file).add(l.event.file);
  return {
    module: module.name,
    exports: exportEntries(code, module, read, new Set(facades.map((f) => f.symbol))),
    facades: facades.map((facade) => facadeSection(code, full, facade.name, facade.declaration, read)),
    publishes: publishedEvents(code, flows, module, full, read),
    listens: listeners.map((l) => entry('listens', `${l.listener} <- ${eventKey(l.event)}`)),
    routes: routes(code, module, full, read),
  };
}



function entry(kind: Parameters<typeof entryKey>[0], text: string): ContractEntry {
  const line = text.replace(/\s+/g, ' ').trim();
  return { key: entryKey(kind, line), text: line };
}

// ---------------------------------------------------------------------------------------------
// The public API: what index.ts exports.

function exportEntries(code: CodeBase, module: ApplicationModule, read: Set<string>, facades: ReadonlySet<ts.Symbol>): ContractEntry[] {
  const exported = code.publicExports(module);
  // Each export through the imports and re-exports that make it (`import { X } from './x'; export { X }`).
  const source = module.entry ? code.program.getSourceFile(resolve(code.model.rootDir, module.entry)) : undefined;
  const moduleSymbol = source && code.checker.getSymbolAtLocation(source);
  if (moduleSymbol) {
    const references = new References(code, read);
    for (const symbol of code.checker.getExportsOfModule(moduleSymbol)) references.symbol(symbol);
  }
  const names = new Map<ts.Symbol, string>();
  for (const [name, symbol] of [...exported].sort(([a], [b]) => compare(a, b))) if (!names.has(symbol)) names.set(symbol, name);
  const entries: ContractEntry[] = [];
  for (const [name, symbol] of exported) {
    // Types of this module's public API print by their exported name, types of other modules by
    // theirs (each module's contract lists its own); the module's unexported types are expanded.
    const printer = new TypePrinter(code, read, (s) => {
      if (s === symbol) return undefined;
      if (names.has(s)) return names.get(s);
      const declaration = s.declarations?.[0];
      return declaration && code.moduleOf(declaration) !== module ? s.name : undefined;
    });
    for (const text of declarationTexts(code, printer, name, symbol, facades.has(symbol), read)) entries.push(entry('exports', text));
  }
  return entries;
}

function declarationTexts(code: CodeBase, printer: TypePrinter, name: string, symbol: ts.Symbol, facade: boolean, read: Set<string>): string[] {
  const declarations = (symbol.declarations ?? []).filter((d) => code.isProjectFile(d.getSourceFile()));
  for (const d of declarations) read.add(code.path(d));
  const typeParams = (node: { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }): string =>
    node.typeParameters?.length ? `<${node.typeParameters.map((p) => p.getText().replace(/\s+/g, ' ')).join(', ')}>` : '';

  const cls = declarations.find(ts.isClassDeclaration);
  if (cls) {
    const abstract = hasModifier(cls, ts.SyntaxKind.AbstractKeyword) ? 'abstract ' : '';
    // `extends` a class from outside the project (Error, an npm base) stays; a project base class's
    // public members are listed with the class's own; `implements` adds nothing the members do not say.
    const chain = code.classChain(cls);
    const outer = chain[chain.length - 1].heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const heritage = outer ? `extends ${printer.type(outer)}` : '';
    // A facade's methods are its own section, with their types expanded.
    const body = facade ? '(facade: see Facades)' : printer.classBody(cls);
    return [`${abstract}class ${name}${typeParams(cls)}${heritage ? ` ${heritage}` : ''} ${body}`];
  }
  const functions = declarations.filter(ts.isFunctionDeclaration);
  if (functions.length > 0) {
    const overloads = functions.filter((f) => !f.body);
    return (overloads.length ? overloads : functions).map((f) => `function ${name}${printer.signature(f)}`);
  }
  const enumDeclarations = declarations.filter(ts.isEnumDeclaration);
  if (enumDeclarations.length > 0) {
    const members = enumDeclarations.flatMap((d) =>
      d.members.map((m) => {
        const value = code.checker.getConstantValue(m);
        const member = nameText(m.name as ts.PropertyName) ?? m.name.getText();
        return value === undefined ? member : `${member} = ${JSON.stringify(value)}`;
      }),
    );
    return [`${hasModifier(enumDeclarations[0], ts.SyntaxKind.ConstKeyword) ? 'const ' : ''}enum ${name} { ${members.join(', ')} }`.replace(/^const enum/, 'enum')];
  }
  const interfaceDeclaration = declarations.find(ts.isInterfaceDeclaration);
  if (interfaceDeclaration) return [`interface ${name}${typeParams(interfaceDeclaration)} ${printer.interfaceShape(symbol)}`];
  const alias = declarations.find(ts.isTypeAliasDeclaration);
  if (alias) return [`type ${name}${typeParams(alias)} = ${printer.type(alias.type)}`];
  const variable = declarations.find(ts.isVariableDeclaration);
  if (variable) {
    const list = variable.parent;
    const keyword = ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? 'const' : ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Let ? 'let' : 'var';
    return [`${keyword} ${name}: ${printer.type(variable.type, variable.type ? undefined : variable)}`];
  }
  if (declarations.some((d) => ts.isModuleDeclaration(d) || ts.isSourceFile(d))) return [`namespace ${name}`];
  return [`const ${name}: unknown`];
}

// ---------------------------------------------------------------------------------------------
// Facades: every public method, through project base classes, types expanded.

function facadeSection(code: CodeBase, printer: TypePrinter, name: string, declaration: ts.ClassDeclaration, read: Set<string>): FacadeSection {
  const byName = new Map<string, ts.MethodDeclaration[]>();
  for (const cls of code.classChain(declaration)) {
    read.add(code.path(cls));
    const own = new Map<string, ts.MethodDeclaration[]>();
    for (const member of cls.members) {
      if (!ts.isMethodDeclaration(member) || !isPublicInstanceMember(member)) continue;
      const method = nameText(member.name as ts.PropertyName);
      if (method === undefined || byName.has(method)) continue;
      own.set(method, [...(own.get(method) ?? []), member]);
    }
    for (const [method, declarations] of own) byName.set(method, declarations);
  }
  const methods: ContractEntry[] = [];
  for (const [method, declarations] of byName) {
    const overloads = declarations.filter((d) => !d.body);
    for (const d of overloads.length ? overloads : declarations) {
      methods.push(entry('method', `${method}${d.questionToken ? '?' : ''}${printer.signature(d)}`));
    }
  }
  return { name, methods };
}

// ---------------------------------------------------------------------------------------------
// Events: published (constructed here, or declared as this module's with `module: NAME`) and listened to.

function eventKey(event: EventClass): string {
  return `${event.name ?? event.class}@${event.version ?? '?'}`;
}

function publishedEvents(code: CodeBase, flows: EventFlows, module: ApplicationModule, printer: TypePrinter, read: Set<string>): ContractEntry[] {
  const events = new Set<EventClass>();
  for (const p of flows.publications) {
    if (p.module !== module.name) continue;
    events.add(p.event);
    read.add(p.file);
  }
  for (const event of flows.events.values()) if (event.owner === module.name) events.add(event);
  const entries: ContractEntry[] = [];
  for (const event of events) {
    read.add(event.file);
    const declaration = code.classOf(event.symbol);
    const payload = declaration ? printer.classShape(declaration) : '{}';
    entries.push(entry('publishes', `${eventKey(event)} ${payload}`));
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// HTTP routes of the module's controllers.

const VERBS = new Map([
  ['Get', 'GET'],
  ['Post', 'POST'],
  ['Put', 'PUT'],
  ['Patch', 'PATCH'],
  ['Delete', 'DELETE'],
  ['Options', 'OPTIONS'],
  ['Head', 'HEAD'],
  ['All', 'ALL'],
  ['Search', 'SEARCH'],
]);

function routes(code: CodeBase, module: ApplicationModule, printer: TypePrinter, read: Set<string>): ContractEntry[] {
  const entries: ContractEntry[] = [];
  for (const source of code.filesOf(module.name)) {
    if (code.moduleOf(source) !== module) continue;
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      const controller = code.decorator(statement, 'Controller');
      if (!controller) continue;
      read.add(code.path(statement));
      const prefixes = paths(code, controller.args[0], true);
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !member.body) continue;
        for (const use of code.decorators(member)) {
          const verb = VERBS.get(use.name);
          if (!verb) continue;
          for (const prefix of prefixes) {
            for (const path of paths(code, use.args[0], false)) {
              entries.push(entry('routes', `${verb} ${joinPath(prefix, path)}${routeInputs(code, printer, member)}${member.type ? ` -> ${printer.type(member.type)}` : ''}`));
            }
          }
        }
      }
    }
  }
  return entries;
}

/** A decorator's path argument: a string, a list of strings, or (for @Controller) `{ path }`. */
function paths(code: CodeBase, arg: ts.Expression | undefined, controller: boolean): string[] {
  let value = arg && code.initializerOf(arg);
  if (value && controller && ts.isObjectLiteralExpression(value)) value = propertyOf(value, 'path');
  if (!value) return [''];
  if (ts.isArrayLiteralExpression(value)) {
    const list = value.elements.map((e) => stringLiteral(e) ?? `{${e.getText()}}`);
    return list.length ? list : [''];
  }
  return [stringLiteral(value) ?? `{${value.getText()}}`];
}

function joinPath(prefix: string, path: string): string {
  const joined = `/${[prefix, path].join('/')}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** ` params: {...} query: {...} body: {...}` from @Param, @Query and @Body parameters. */
function routeInputs(code: CodeBase, printer: TypePrinter, method: ts.MethodDeclaration): string {
  const parts = { params: [] as string[], query: [] as string[], body: [] as string[] };
  const whole = { params: [] as string[], query: [] as string[], body: [] as string[] };
  for (const parameter of method.parameters) {
    for (const use of code.decorators(parameter)) {
      const part = use.name === 'Param' ? 'params' : use.name === 'Query' ? 'query' : use.name === 'Body' ? 'body' : undefined;
      if (!part) continue;
      const name = stringLiteral(use.args[0]);
      const type = printer.type(parameter.type, parameter.type ? undefined : parameter);
      if (name !== undefined) {
        const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
        parts[part].push(`${key}${parameter.questionToken || parameter.initializer ? '?' : ''}: ${type}`);
      } else {
        whole[part].push(type);
      }
    }
  }
  let text = '';
  for (const part of ['params', 'query', 'body'] as const) {
    const named = parts[part].length ? [`{ ${parts[part].sort().join('; ')} }`] : [];
    const all = [...whole[part].sort(), ...named];
    if (all.length) text += ` ${part}: ${all.join(' & ')}`;
  }
  return text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
