import { relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { moduleSourceFiles, type ApplicationModule, type ApplicationModules } from '../core/index.js';
import { createAnalysisProgram, readCompilerOptions, type AnalysisScope } from '../leaks/index.js';
import type { SourceLocation } from './extraction-report.js';

/** A decorator as written: the name it was imported under (aliases undone) and its arguments. */
export interface DecoratorUse {
  name: string;
  node: ts.Decorator;
  args: readonly ts.Expression[];
}

/**
 * Every module's production code in one TypeScript program, with the questions the extraction
 * analyses ask of it. Built like the leak detection's program (no lib, npm packages unresolved),
 * so it parses the project's own files only: lib types such as Date or Promise and npm types
 * stay unresolved names, which is exactly what the wire rules look at.
 */
export class CodeBase {
  readonly checker: ts.TypeChecker;
  private readonly filesByModule = new Map<string, ts.SourceFile[]>();

  private constructor(
    readonly model: ApplicationModules,
    readonly program: ts.Program,
    files: ReadonlyMap<string, string[]>,
    /** The tsconfig files the compiler options came from (absolute): what the program depends on besides the code. */
    readonly configFiles: readonly string[] = [],
  ) {
    this.checker = program.getTypeChecker();
    for (const [name, paths] of files) {
      const sources = paths.map((p) => program.getSourceFile(resolve(model.rootDir, p))).filter((s): s is ts.SourceFile => s !== undefined);
      this.filesByModule.set(name, sources);
    }
  }

  /**
   * Loads every module's production files (tests excluded) with the project's compiler options;
   * `extraRoots` (project-relative, e.g. the app's entry file) join the program with every file
   * they import.
   */
  static load(
    model: ApplicationModules,
    options: { tsconfig?: string; extraRoots?: readonly string[]; roots?: readonly string[]; scope?: AnalysisScope; files?: ReadonlyMap<string, string[]> } = {},
  ): CodeBase {
    const project = readCompilerOptions(model.rootDir, options.tsconfig);
    const files = options.files ?? new Map(model.modules.map((m) => [m.name, moduleSourceFiles(model.rootDir, m)]));
    // `roots` (project-relative): only these are the program's roots; the other files of the
    // modules join it (and filesOf) when imported. Default: every module's production files.
    const roots = [...(options.roots ?? [...files.values()].flat()), ...(options.extraRoots ?? [])].map((p) => resolve(model.rootDir, p));
    return new CodeBase(model, createAnalysisProgram(roots, project.options, options.scope ?? 'all-imports'), files, project.configFiles);
  }

  filesOf(module: string): readonly ts.SourceFile[] {
    return this.filesByModule.get(module) ?? [];
  }

  /** Every module's files, with their module. */
  *allFiles(): Iterable<{ module: ApplicationModule; source: ts.SourceFile }> {
    for (const module of this.model.modules) for (const source of this.filesOf(module.name)) yield { module, source };
  }

  path(node: ts.Node): string {
    return relative(this.model.rootDir, node.getSourceFile().fileName).split(sep).join('/');
  }

  line(node: ts.Node): number {
    const source = node.getSourceFile();
    return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  }

  location(node: ts.Node): SourceLocation {
    return { file: this.path(node), line: this.line(node) };
  }

  moduleOf(node: ts.Node): ApplicationModule | undefined {
    return this.model.moduleOf(this.path(node));
  }

  /** The symbol a node names, aliases (imports, re-exports) followed to the declaration. */
  symbolAt(node: ts.Node): ts.Symbol | undefined {
    return this.resolve(this.checker.getSymbolAtLocation(node));
  }

  /** Follows aliases; undefined when the chain ends outside the program (an npm package or a lib global). */
  resolve(symbol: ts.Symbol | undefined): ts.Symbol | undefined {
    if (!symbol) return undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return target.declarations && target.declarations.length > 0 ? target : undefined;
  }

  /** The class declaration of a symbol, when it is a class of this project. */
  classOf(symbol: ts.Symbol | undefined): ts.ClassDeclaration | undefined {
    return symbol?.declarations?.find((d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) && this.isProjectFile(d.getSourceFile()));
  }

  /** A class and its project base classes, most derived first. */
  classChain(cls: ts.ClassDeclaration): ts.ClassDeclaration[] {
    const chain: ts.ClassDeclaration[] = [];
    let current: ts.ClassDeclaration | undefined = cls;
    while (current && !chain.includes(current) && chain.length < 16) {
      chain.push(current);
      const base: ts.ExpressionWithTypeArguments | undefined = current.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      current = base ? this.classOf(this.symbolAt(base.expression)) : undefined;
    }
    return chain;
  }

  isProjectFile(source: ts.SourceFile): boolean {
    return !/[\\/]node_modules[\\/]/.test(source.fileName);
  }

  /**
   * The name a callee was imported under, aliases undone (`import { Entity as Table }` gives
   * `Entity`); a property access gives its last name (`typeorm.Entity`).
   */
  calleeName(expression: ts.Expression): string | undefined {
    let callee = ts.isCallExpression(expression) ? expression.expression : expression;
    while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
    if (!ts.isIdentifier(callee)) return undefined;
    const declaration = this.checker.getSymbolAtLocation(callee)?.declarations?.[0];
    if (declaration && ts.isImportSpecifier(declaration)) return (declaration.propertyName ?? declaration.name).text;
    return callee.text;
  }

  decorators(node: ts.Node): DecoratorUse[] {
    if (!ts.canHaveDecorators(node)) return [];
    return (ts.getDecorators(node) ?? []).flatMap((decorator) => {
      const name = this.calleeName(decorator.expression);
      if (!name) return [];
      const args = ts.isCallExpression(decorator.expression) ? decorator.expression.arguments : [];
      return [{ name, node: decorator, args }];
    });
  }

  decorator(node: ts.Node, names: ReadonlySet<string> | string): DecoratorUse | undefined {
    return this.decorators(node).find((d) => (typeof names === 'string' ? d.name === names : names.has(d.name)));
  }

  /** The symbols a module's index.ts exports (aliases followed), by exported name. */
  publicExports(module: ApplicationModule): Map<string, ts.Symbol> {
    const exports = new Map<string, ts.Symbol>();
    const source = module.entry ? this.program.getSourceFile(resolve(this.model.rootDir, module.entry)) : undefined;
    const moduleSymbol = source && this.checker.getSymbolAtLocation(source);
    if (!moduleSymbol) return exports;
    for (const exported of this.checker.getExportsOfModule(moduleSymbol)) {
      const target = this.resolve(exported);
      if (target) exports.set(exported.name, target);
    }
    return exports;
  }

  /** An identifier, or a `const X = [...]`/`{...}` it names, as the expression to read. */
  initializerOf(expression: ts.Expression): ts.Expression {
    if (!ts.isIdentifier(expression)) return expression;
    const declaration = this.symbolAt(expression)?.declarations?.[0];
    return declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? declaration.initializer : expression;
  }
}

/** Visits every node of a file. */
export function forEachNode(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => forEachNode(child, visit));
}

/** A property of an object literal, by name. */
export function propertyOf(object: ts.Expression | undefined, name: string): ts.Expression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && nameText(property.name) === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

export function nameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name) || ts.isNoSubstitutionTemplateLiteral(name)) {
    return name.text;
  }
  return undefined;
}

export function stringLiteral(expression: ts.Expression | undefined): string | undefined {
  return expression && (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) ? expression.text : undefined;
}

export function numberLiteral(expression: ts.Expression | undefined): number | undefined {
  return expression && ts.isNumericLiteral(expression) ? Number(expression.text) : undefined;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Public instance members only: no `private`/`protected`, no `#name`, no `static`. */
export function isPublicInstanceMember(member: ts.ClassElement): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  return !hasModifier(member, ts.SyntaxKind.PrivateKeyword) && !hasModifier(member, ts.SyntaxKind.ProtectedKeyword) && !hasModifier(member, ts.SyntaxKind.StaticKeyword);
}

/** `billing's`, `orders'`. */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** One-line source text of a node (for signatures in messages). */
export function oneLine(node: ts.Node): string {
  return node.getText(node.getSourceFile()).replace(/\s+/g, ' ');
}
