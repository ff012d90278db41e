import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { compareByLocation, type ApplicationModule, type ApplicationModules, type Violation } from '../core/index.js';
import { readCache, writeCache, cacheKey } from './leak-cache.js';
import { createAnalysisProgram, createAnalysisWorkspace, type AnalysisWorkspace } from './program.js';
import { readCompilerOptions } from './tsconfig.js';

export interface FindLeaksOptions {
  /** tsconfig to read, relative to the project root; default `tsconfig.json` (defaults when absent). */
  tsconfig?: string;
  /**
   * A cache file (e.g. `.modulith-cache/leaks.json`). When given, the result is reused as long as
   * the module model, the tsconfig chain and every file the analysis read are byte-identical.
   */
  cacheFile?: string;
  /**
   * Analyse only these modules' public APIs (by name); default all. The program then holds their
   * entries, the entries of the modules whose files they reach, and `extraRoots`.
   */
  modules?: readonly string[];
  /** More root files (absolute or project-relative), e.g. the files with global declarations a previous run found. */
  extraRoots?: readonly string[];
  /** Parsed files and the previous program, shared by consecutive calls (see createAnalysisWorkspace in program.ts). */
  workspace?: AnalysisWorkspace;
  /** Told, per analysed module, its violations and every project file its result depends on (for an incremental cache). */
  onAnalyzed?: (details: LeakAnalysisDetails) => void;
}

/** What an analysis found and read, per module (project-relative paths). */
export interface LeakAnalysisDetails {
  modules: Map<string, { violations: Violation[]; files: string[] }>;
  /** Files whose declarations are global (scripts, `declare global`, module augmentations): every module's result may depend on them. */
  globalFiles: string[];
  /** The tsconfig chain read (absolute). */
  configFiles: string[];
}

/** TypeORM decorators that make a class a mapped entity. */
const ENTITY_DECORATORS = new Set(['Entity', 'ViewEntity', 'ChildEntity']);
/** TypeORM classes that hand out direct access to a module's tables. */
const DATA_ACCESS = new Set(['Repository', 'TreeRepository', 'MongoRepository', 'EntityManager', 'MongoEntityManager']);
/** DataSource/EntityManager methods whose result is a repository. */
const REPOSITORY_FACTORIES = new Set(['getRepository', 'getTreeRepository', 'getMongoRepository', 'withRepository', 'getCustomRepository']);
const TYPEORM = /^typeorm(\/|$)/;
const TS_ENTRY = /\.(ts|mts|cts|tsx)$/;

/**
 * Symbol-level leak detection over the modules' public APIs (their `index.ts`), with the
 * TypeScript compiler. Follows `export *` and `export { x as y } from` chains through any number
 * of barrels and reports, per exported symbol:
 *
 * - `reexports-internals`: the symbol is declared in another module's private file and that
 *   module does not export it from its own index.ts.
 * - `undeclared-dependency`: the public API re-exports symbols of another module's public API
 *   while `dependsOn` does not declare that module (one violation per pair of modules; allowed
 *   when declared, or when the other module is shared).
 * - `exposes-entity`: the symbol is a TypeORM entity (`@Entity`/`@ViewEntity`/`@ChildEntity`),
 *   a Repository/EntityManager (a value typed so, a `type X = Repository<...>` alias, a class
 *   extending Repository, a `getRepository(...)` result), or an exported class, interface,
 *   function or type whose signature mentions one, one level deep (facade methods' parameters and
 *   return types through Promise<T>, arrays, unions and inline object types; interface properties).
 *
 * Only the entry files are program roots, and files in node_modules are never loaded, so the cost
 * is parsing the project files the public APIs reach. Pure apart from the optional cache file.
 */
export function findLeaks(model: ApplicationModules, options: FindLeaksOptions = {}): Violation[] {
  const eligible = model.modules.filter((m) => m.entry !== undefined && TS_ENTRY.test(m.entry));
  const modules = options.modules ? eligible.filter((m) => options.modules!.includes(m.name)) : eligible;
  if (modules.length === 0) {
    options.onAnalyzed?.({ modules: new Map(), globalFiles: [], configFiles: [] });
    return [];
  }
  const project = readCompilerOptions(model.rootDir, options.tsconfig);
  const whole = options.cacheFile !== undefined && options.modules === undefined;
  const key = whole ? cacheKey(model, project.configFiles) : '';
  const cacheFile = whole ? resolve(model.rootDir, options.cacheFile!) : undefined;
  if (cacheFile && !options.onAnalyzed) {
    const cached = readCache(cacheFile, key, model.rootDir);
    if (cached) return cached;
  }

  const workspace = options.workspace ?? createAnalysisWorkspace();
  const roots = [...modules.map((m) => resolve(model.rootDir, m.entry!)), ...(options.extraRoots ?? []).map((f) => resolve(model.rootDir, f))];
  let program = createAnalysisProgram(roots, project.options, 'public-api', workspace);
  if (options.modules) {
    // Another module's public symbols are judged from its own index.ts: have the entries of every
    // module whose files these reach.
    const missing = new Set<string>();
    for (const source of program.getSourceFiles()) {
      const owner = model.moduleOf(toProjectPath(model.rootDir, source.fileName));
      if (owner?.entry && TS_ENTRY.test(owner.entry) && !program.getSourceFile(resolve(model.rootDir, owner.entry))) missing.add(resolve(model.rootDir, owner.entry));
    }
    if (missing.size > 0) program = createAnalysisProgram([...roots, ...missing], project.options, 'public-api', workspace);
  }
  const analysis = new LeakAnalysis(model, program);
  const perModule = new Map<string, Violation[]>(modules.map((m) => [m.name, analysis.checkEntry(m).sort(compareByLocation)]));
  const violations = [...perModule.values()].flat().sort(compareByLocation);
  if (options.onAnalyzed) options.onAnalyzed(dependenciesOf(model, program, workspace, modules, perModule, project.configFiles));
  if (cacheFile) writeCache(cacheFile, key, model.rootDir, program, violations);
  return violations;
}


function toProjectPath(rootDir: string, fileName: string): string {
  return relative(rootDir, fileName).split(sep).join('/');
}

/**
 * What each module's result depends on: the files its entry reaches through the imports the
 * program resolved, plus what the entries of the other modules it reaches reach (their public
 * symbols decide between `reexports-internals` and an allowed re-export), plus global files.
 */
function dependenciesOf(
  model: ApplicationModules,
  program: ts.Program,
  workspace: AnalysisWorkspace,
  modules: readonly ApplicationModule[],
  perModule: Map<string, Violation[]>,
  configFiles: readonly string[],
): LeakAnalysisDetails {
  const inProgram = new Set(program.getSourceFiles().map((f) => f.fileName));
  const reached = new Map<string, Set<string>>();
  const reach = (entry: string): Set<string> => {
    let files = reached.get(entry);
    if (files) return files;
    files = new Set();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (files.has(file) || !inProgram.has(file)) continue;
      files.add(file);
      for (const target of workspace.imports.get(file) ?? []) queue.push(target);
      for (const reference of program.getSourceFile(file)?.referencedFiles ?? []) queue.push(resolve(dirname(file), reference.fileName).split(sep).join('/'));
    }
    reached.set(entry, files);
    return files;
  };
  const globalFiles = program
    .getSourceFiles()
    .filter((f) => !ts.isExternalModule(f) || f.statements.some((s) => ts.isModuleDeclaration(s) && (ts.isStringLiteral(s.name) || (s.flags & ts.NodeFlags.GlobalAugmentation) !== 0)))
    .map((f) => toProjectPath(model.rootDir, f.fileName));
  const details: LeakAnalysisDetails = { modules: new Map(), globalFiles, configFiles: [...configFiles] };
  for (const module of modules) {
    const entry = program.getSourceFile(resolve(model.rootDir, module.entry!))?.fileName;
    const files = new Set<string>(entry ? reach(entry) : []);
    for (const file of [...files]) {
      const owner = model.moduleOf(toProjectPath(model.rootDir, file));
      const ownerEntry = owner && owner !== module && owner.entry ? program.getSourceFile(resolve(model.rootDir, owner.entry))?.fileName : undefined;
      if (ownerEntry) for (const other of reach(ownerEntry)) files.add(other);
    }
    const paths = [...files].map((f) => toProjectPath(model.rootDir, f));
    // The entry itself, even when it is missing from the program (it then has no result to keep).
    paths.push(module.entry!);
    details.modules.set(module.name, { violations: perModule.get(module.name) ?? [], files: [...new Set([...paths, ...globalFiles])].sort() });
  }
  return details;
}

/** Something a public API hands out that gives access to a module's data. */
type Leak =
  | { kind: 'entity'; symbol: ts.Symbol; file: string }
  | { kind: 'data-access'; what: string; entity?: { symbol: ts.Symbol; file: string }; file?: string };

class LeakAnalysis {
  private readonly checker: ts.TypeChecker;
  private readonly publicSymbols = new Map<string, Set<ts.Symbol>>();
  private readonly entityCache = new Map<ts.Symbol, boolean>();

  constructor(
    private readonly model: ApplicationModules,
    private readonly program: ts.Program,
  ) {
    this.checker = program.getTypeChecker();
  }

  checkEntry(module: ApplicationModule): Violation[] {
    const entry = module.entry!;
    const source = this.sourceFile(entry);
    const moduleSymbol = source && this.checker.getSymbolAtLocation(source);
    if (!source || !moduleSymbol) return [];
    const violations: Violation[] = [];
    const undeclared = new Map<string, { names: string[]; file: string; line?: number }>();
    const lines = new ExportLines(this.checker, source);

    for (const exported of this.checker.getExportsOfModule(moduleSymbol)) {
      const name = exported.name;
      const line = lines.lineOf(name);
      const base = { severity: 'error' as const, from: entry, fromModule: module.name, line };
      const target = this.resolveAlias(exported);

      if (!target) {
        // An npm package's export, re-exported as is (e.g. `export { Repository } from 'typeorm'`).
        const origin = this.externalOrigin(exported);
        if (origin && TYPEORM.test(origin.module) && DATA_ACCESS.has(origin.name)) {
          violations.push({
            ...base,
            rule: 'exposes-entity',
            to: origin.module,
            toModule: null,
            message: `${possessive(module.name)} public API exports ${describeName(origin.name, name)}, TypeORM's ${origin.name}: callers would reach ${possessive(module.name)} tables directly`,
            fix: `stop exporting ${name} from ${entry}; expose the operations callers need as facade methods that return plain data`,
          });
        }
        continue;
      }

      const declFile = this.declarationFile(target);
      const owner = declFile ? this.model.moduleOf(declFile) : undefined;
      const shownName = describeName(target.name, name);

      const direct = this.directLeak(target);
      if (direct) {
        violations.push(this.leakViolation(module, base, direct, { exported: shownName }, declFile ?? entry));
        continue;
      }

      if (owner && owner.name !== module.name) {
        const isPublic = declFile === owner.entry || this.publicSymbolsOf(owner).has(target);
        if (!isPublic) {
          violations.push({
            ...base,
            rule: 'reexports-internals',
            to: declFile!,
            toModule: owner.name,
            message: `${possessive(module.name)} public API re-exports ${shownName}, an internal of ${owner.name} declared in ${declFile}`,
            fix: `stop exporting ${name} from ${entry}; if callers need it, ${owner.name} must publish it (or a plain type) from ${owner.entry ?? `${owner.dir}/index.ts`}`,
          });
        } else if (!this.model.mayUse(module.name, owner.name)) {
          const pair = undeclared.get(owner.name) ?? { names: [], file: owner.entry ?? declFile!, line };
          pair.names.push(name);
          undeclared.set(owner.name, pair);
        }
        // Another module's public symbol: its own entry is checked for leaks where it is declared.
        continue;
      }

      for (const member of this.memberLeaks(target)) {
        violations.push(this.leakViolation(module, base, member.leak, { through: member.where }, declFile ?? entry));
      }
    }

    for (const [other, pair] of undeclared) {
      const owner = this.model.require(other);
      violations.push({
        rule: 'undeclared-dependency',
        severity: 'error',
        from: entry,
        to: pair.file,
        fromModule: module.name,
        toModule: other,
        line: pair.line,
        message: `${possessive(module.name)} public API re-exports ${possessive(other)} ${pair.names.sort().join(', ')}, but ${module.manifest} does not declare "${other}" in dependsOn`,
        fix: `add "${other}" to "dependsOn" in ${module.manifest}, or stop re-exporting ${possessive(other)} API from ${entry}`,
      });
    }
    return violations;
  }

  /**
   * `how` is either `{ exported }` (the symbol itself is the entity/repository) or
   * `{ through }` (a member or signature of an exported declaration mentions it).
   */
  private leakViolation(
    module: ApplicationModule,
    base: { severity: 'error'; from: string; fromModule: string; line: number | undefined },
    leak: Leak,
    how: { exported: string } | { through: string },
    fallbackFile: string,
  ): Violation {
    if (leak.kind === 'entity') {
      const owner = this.model.moduleOf(leak.file);
      const ownerName = owner?.name ?? module.name;
      const entity = leak.symbol.name;
      return {
        ...base,
        rule: 'exposes-entity',
        to: leak.file,
        toModule: owner?.name ?? null,
        message:
          'exported' in how
            ? `${possessive(module.name)} public API exports ${how.exported}, a TypeORM entity declared in ${leak.file}`
            : `${possessive(module.name)} public API exposes TypeORM entity ${entity} (${leak.file}) through ${how.through}`,
        fix:
          'exported' in how
            ? `export a plain interface from ${possessive(ownerName)} index.ts instead of ${entity} and map the entity to it inside ${ownerName}`
            : `type ${how.through.split(' ')[0]} with a plain interface exported from ${possessive(ownerName)} index.ts and map ${entity} to it inside ${ownerName}`,
      };
    }
    const to = leak.entity?.file ?? leak.file ?? fallbackFile;
    const owner = this.model.moduleOf(to);
    const ownerName = owner?.name ?? module.name;
    const repo = leak.entity ? `${leak.what}<${leak.entity.symbol.name}>` : leak.what;
    return {
      ...base,
      rule: 'exposes-entity',
      to,
      toModule: owner?.name ?? null,
      message:
        'exported' in how
          ? `${possessive(module.name)} public API exports ${how.exported}, a TypeORM ${repo}: callers would reach ${possessive(ownerName)} tables directly`
          : `${possessive(module.name)} public API exposes a TypeORM ${repo} through ${how.through}: callers would reach ${possessive(ownerName)} tables directly`,
      fix: `keep repositories inside ${ownerName}: expose the operations callers need as facade methods that take and return plain data`,
    };
  }

  /** The exported symbol itself is an entity or a repository. */
  private directLeak(symbol: ts.Symbol): Leak | undefined {
    if (this.isEntity(symbol)) return { kind: 'entity', symbol, file: this.declarationFile(symbol)! };
    for (const declaration of symbol.declarations ?? []) {
      if (ts.isClassDeclaration(declaration) || ts.isClassExpression(declaration)) {
        // class InvoiceRepository extends Repository<Invoice> {}
        for (const clause of declaration.heritageClauses ?? []) {
          if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
          for (const type of clause.types) {
            const what = this.typeormName(type.expression);
            if (what && DATA_ACCESS.has(what)) {
              return { kind: 'data-access', what, entity: this.entityIn(type.typeArguments), file: this.fileOf(declaration) };
            }
          }
        }
      } else if (ts.isTypeAliasDeclaration(declaration)) {
        // type InvoiceRepo = Repository<Invoice>
        const leak = this.topLevelDataAccess(declaration.type);
        if (leak) return leak;
      } else if (ts.isVariableDeclaration(declaration)) {
        // const invoices: Repository<Invoice> = ...; const invoices = dataSource.getRepository(Invoice)
        const leak = this.topLevelDataAccess(declaration.type) ?? this.repositoryFactoryCall(declaration.initializer);
        if (leak) return { ...leak, file: this.fileOf(declaration) };
      }
    }
    return undefined;
  }

  private topLevelDataAccess(node: ts.TypeNode | undefined): Leak | undefined {
    if (!node || !ts.isTypeReferenceNode(node)) return undefined;
    const what = this.typeormName(node.typeName);
    if (what && DATA_ACCESS.has(what)) return { kind: 'data-access', what, entity: this.entityIn(node.typeArguments), file: this.fileOf(node) };
    return undefined;
  }

  private repositoryFactoryCall(node: ts.Expression | undefined): Leak | undefined {
    while (node && (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node))) {
      node = node.expression;
    }
    if (!node || !ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
    const method = node.expression.name.text;
    if (!REPOSITORY_FACTORIES.has(method)) return undefined;
    const argument = node.arguments[0];
    const entitySymbol = argument && ts.isIdentifier(argument) ? this.resolveAlias(this.checker.getSymbolAtLocation(argument)) : undefined;
    const entity = entitySymbol && this.isEntity(entitySymbol) ? { symbol: entitySymbol, file: this.declarationFile(entitySymbol)! } : undefined;
    return { kind: 'data-access', what: method.includes('Tree') ? 'TreeRepository' : 'Repository', entity };
  }

  private entityIn(typeArguments: ts.NodeArray<ts.TypeNode> | undefined): { symbol: ts.Symbol; file: string } | undefined {
    for (const argument of typeArguments ?? []) {
      const leak = this.typeLeak(argument, 0);
      if (leak?.kind === 'entity') return { symbol: leak.symbol, file: leak.file };
    }
    return undefined;
  }

  /** One level into an exported declaration's signature: members, parameters, return types. */
  private memberLeaks(symbol: ts.Symbol): Array<{ where: string; leak: Leak }> {
    const found: Array<{ where: string; leak: Leak }> = [];
    for (const declaration of symbol.declarations ?? []) {
      if (!this.isProjectFile(declaration.getSourceFile())) continue;
      if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
        const owner = symbol.name;
        for (const member of declaration.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
          if (ts.isConstructorDeclaration(member)) {
            // constructor(readonly invoices: Repository<Invoice>): a public parameter property.
            for (const parameter of member.parameters) {
              if (!isPublicParameterProperty(parameter)) continue;
              const leak = this.typeLeak(parameter.type, 0);
              if (leak) found.push({ where: `${owner}.${nameText(parameter.name) ?? '?'} (property type)`, leak });
            }
            continue;
          }
          if (!isPublicMember(member)) continue;
          const memberName = member.name ? nameText(member.name) : undefined;
          if (!memberName) continue;
          const isMethod = ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member);
          const label = `${owner}.${memberName}${isMethod && !ts.isGetAccessorDeclaration(member) && !ts.isSetAccessorDeclaration(member) ? '()' : ''}`;
          const leak = this.signatureLeak(member as ts.SignatureDeclaration | ts.PropertyDeclaration | ts.PropertySignature);
          if (leak) found.push({ where: `${label} ${leak.position}`, leak: leak.leak });
        }
      } else if (ts.isFunctionDeclaration(declaration)) {
        const leak = this.signatureLeak(declaration);
        if (leak) found.push({ where: `${symbol.name}() ${leak.position}`, leak: leak.leak });
      } else if (ts.isTypeAliasDeclaration(declaration)) {
        const leak = this.typeLeak(declaration.type, 0);
        if (leak) found.push({ where: `type ${symbol.name}`, leak });
      } else if (ts.isVariableDeclaration(declaration)) {
        const leak = this.typeLeak(declaration.type, 0);
        if (leak) found.push({ where: `${symbol.name} (its declared type)`, leak });
      }
    }
    return found;
  }

  private signatureLeak(
    node: ts.SignatureDeclaration | ts.PropertyDeclaration | ts.PropertySignature,
  ): { position: string; leak: Leak } | undefined {
    if (ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) {
      const leak = this.typeLeak(node.type, 0);
      return leak && { position: '(property type)', leak };
    }
    const returned = this.typeLeak(node.type, 0);
    if (returned) return { position: '(return type)', leak: returned };
    for (const parameter of node.parameters) {
      const leak = this.typeLeak(parameter.type, 0, true);
      if (leak) return { position: `(parameter ${nameText(parameter.name) ?? '?'})`, leak };
    }
    return undefined;
  }

  /**
   * Finds an entity or repository inside a type written in source: references and their type
   * arguments, arrays, unions, inline object and function types. Entities count anywhere (a
   * caller that must build or read one depends on the module's tables). Repositories and
   * EntityManagers count only where the module hands them out (return and property types), not
   * in parameters (`inParameter`): taking the caller's EntityManager, or passing one to a
   * callback, is how a unit of work spans modules (the transactional outbox does exactly that).
   */
  private typeLeak(node: ts.TypeNode | undefined, depth: number, inParameter = false): Leak | undefined {
    if (!node || depth > 8) return undefined;
    const next = (child: ts.TypeNode | undefined, parameter = inParameter) => this.typeLeak(child, depth + 1, parameter);
    if (ts.isTypeReferenceNode(node)) {
      const what = this.typeormName(node.typeName);
      if (what && DATA_ACCESS.has(what)) {
        if (!inParameter) return { kind: 'data-access', what, entity: this.entityIn(node.typeArguments) };
      } else {
        const symbol = this.resolveAlias(this.checker.getSymbolAtLocation(node.typeName));
        if (symbol) {
          if (this.isEntity(symbol)) return { kind: 'entity', symbol, file: this.declarationFile(symbol)! };
          const custom = inParameter ? undefined : this.directLeak(symbol);
          if (custom?.kind === 'data-access' && symbol.flags & ts.SymbolFlags.Class) return custom;
        }
      }
      for (const argument of node.typeArguments ?? []) {
        const leak = next(argument);
        if (leak) return leak;
      }
      return undefined;
    }
    if (ts.isTypeQueryNode(node)) {
      const symbol = this.resolveAlias(this.checker.getSymbolAtLocation(node.exprName));
      if (symbol && this.isEntity(symbol)) return { kind: 'entity', symbol, file: this.declarationFile(symbol)! };
      return undefined;
    }
    if (ts.isArrayTypeNode(node)) return next(node.elementType);
    if (ts.isParenthesizedTypeNode(node) || ts.isTypeOperatorNode(node) || ts.isOptionalTypeNode(node) || ts.isRestTypeNode(node)) return next(node.type);
    if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) {
      for (const member of node.types) {
        const leak = next(member);
        if (leak) return leak;
      }
      return undefined;
    }
    if (ts.isTupleTypeNode(node)) {
      for (const element of node.elements) {
        const leak = next(ts.isNamedTupleMember(element) ? element.type : element);
        if (leak) return leak;
      }
      return undefined;
    }
    if (ts.isTypeLiteralNode(node)) {
      for (const member of node.members) {
        if (ts.isPropertySignature(member)) {
          const leak = next(member.type);
          if (leak) return leak;
        } else if (ts.isMethodSignature(member)) {
          const leak = next(member.type) ?? member.parameters.map((p) => next(p.type, true)).find(Boolean);
          if (leak) return leak;
        }
      }
      return undefined;
    }
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
      return next(node.type) ?? node.parameters.map((p) => next(p.type, true)).find(Boolean);
    }
    return undefined;
  }

  /** A class decorated with TypeORM's @Entity/@ViewEntity/@ChildEntity. */
  private isEntity(symbol: ts.Symbol): boolean {
    const cached = this.entityCache.get(symbol);
    if (cached !== undefined) return cached;
    let entity = false;
    if (symbol.flags & ts.SymbolFlags.Class) {
      for (const declaration of symbol.declarations ?? []) {
        if (!ts.isClassDeclaration(declaration) && !ts.isClassExpression(declaration)) continue;
        for (const decorator of ts.getDecorators(declaration) ?? []) {
          const callee = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
          const name = this.typeormName(callee);
          if (name && ENTITY_DECORATORS.has(name)) entity = true;
        }
      }
    }
    this.entityCache.set(symbol, entity);
    return entity;
  }

  /** The name under which `node` refers to an export of 'typeorm' (through any chain of project re-exports), if it does. */
  private typeormName(node: ts.Node): string | undefined {
    if (ts.isIdentifier(node)) {
      const symbol = this.checker.getSymbolAtLocation(node);
      const origin = symbol && this.externalOrigin(symbol);
      return origin && TYPEORM.test(origin.module) && origin.name !== '*' ? origin.name : undefined;
    }
    const left = ts.isQualifiedName(node) ? node.left : ts.isPropertyAccessExpression(node) ? node.expression : undefined;
    const right = ts.isQualifiedName(node) ? node.right : ts.isPropertyAccessExpression(node) ? node.name : undefined;
    if (left && right && ts.isIdentifier(left)) {
      const symbol = this.checker.getSymbolAtLocation(left);
      const origin = symbol && this.externalOrigin(symbol);
      return origin && TYPEORM.test(origin.module) && origin.name === '*' ? right.text : undefined;
    }
    return undefined;
  }

  /**
   * For an alias that ends in a package the program did not load (everything in node_modules),
   * the package and the name imported from it. `*` for a namespace import.
   */
  private externalOrigin(symbol: ts.Symbol): { module: string; name: string } | undefined {
    let current = symbol;
    for (let guard = 0; guard < 64 && current.flags & ts.SymbolFlags.Alias; guard++) {
      const declaration = current.declarations?.[0];
      const next = this.checker.getImmediateAliasedSymbol(current);
      if (!next || !next.declarations || next.declarations.length === 0) {
        const origin = declaration && importOrigin(declaration);
        return origin && !origin.module.startsWith('.') ? origin : undefined;
      }
      current = next;
    }
    return undefined;
  }

  /** Follows aliases to the declared symbol; undefined when it ends outside the program (an npm package). */
  private resolveAlias(symbol: ts.Symbol | undefined): ts.Symbol | undefined {
    if (!symbol) return undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return target.declarations && target.declarations.length > 0 ? target : undefined;
  }

  private publicSymbolsOf(module: ApplicationModule): Set<ts.Symbol> {
    let symbols = this.publicSymbols.get(module.name);
    if (!symbols) {
      symbols = new Set();
      const source = module.entry ? this.sourceFile(module.entry) : undefined;
      const moduleSymbol = source && this.checker.getSymbolAtLocation(source);
      if (moduleSymbol) {
        for (const exported of this.checker.getExportsOfModule(moduleSymbol)) {
          const target = this.resolveAlias(exported);
          if (target) symbols.add(target);
        }
      }
      this.publicSymbols.set(module.name, symbols);
    }
    return symbols;
  }

  private declarationFile(symbol: ts.Symbol): string | undefined {
    const declaration = symbol.declarations?.find((d) => this.isProjectFile(d.getSourceFile())) ?? symbol.declarations?.[0];
    return declaration ? this.fileOf(declaration) : undefined;
  }

  private fileOf(node: ts.Node): string {
    return relative(this.model.rootDir, node.getSourceFile().fileName).split(sep).join('/').replace(/\\/g, '/');
  }

  private isProjectFile(file: ts.SourceFile): boolean {
    return !file.isDeclarationFile || !/[\\/]node_modules[\\/]/.test(file.fileName);
  }

  private sourceFile(projectPath: string): ts.SourceFile | undefined {
    return this.program.getSourceFile(resolve(this.model.rootDir, projectPath));
  }
}

/** Finds, in an entry file, the line of the statement that exports a given name (directly or by `export *`). */
class ExportLines {
  private stars: Array<{ line: number; names: Set<string> }> | undefined;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly source: ts.SourceFile,
  ) {}

  lineOf(name: string): number | undefined {
    const local = (this.source as { symbol?: ts.Symbol }).symbol?.exports?.get(ts.escapeLeadingUnderscores(name));
    const declaration = local?.declarations?.find((d) => d.getSourceFile() === this.source);
    if (declaration) return this.line(statementOf(declaration));
    this.stars ??= this.source.statements.filter(isExportStar).map((statement) => {
      const target = this.checker.getSymbolAtLocation(statement.moduleSpecifier!);
      const names = new Set(target ? this.checker.getExportsOfModule(target).map((s) => s.name) : []);
      return { line: this.line(statement), names };
    });
    return this.stars.find((s) => s.names.has(name))?.line;
  }

  private line(node: ts.Node): number {
    return this.source.getLineAndCharacterOfPosition(node.getStart(this.source)).line + 1;
  }
}

function isExportStar(statement: ts.Statement): statement is ts.ExportDeclaration {
  return ts.isExportDeclaration(statement) && statement.exportClause === undefined && statement.moduleSpecifier !== undefined;
}

function statementOf(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

/** The module specifier and imported name of an import/export declaration part. */
function importOrigin(declaration: ts.Declaration): { module: string; name: string } | undefined {
  let specifier: ts.Expression | undefined;
  let name = '*';
  if (ts.isImportSpecifier(declaration) || ts.isExportSpecifier(declaration)) {
    name = (declaration.propertyName ?? declaration.name).text;
    specifier = ts.isImportSpecifier(declaration)
      ? declaration.parent.parent.parent.moduleSpecifier
      : declaration.parent.parent.moduleSpecifier;
  } else if (ts.isImportClause(declaration)) {
    name = 'default';
    specifier = declaration.parent.moduleSpecifier;
  } else if (ts.isNamespaceImport(declaration)) {
    specifier = declaration.parent.parent.moduleSpecifier;
  } else if (ts.isNamespaceExport(declaration)) {
    specifier = declaration.parent.moduleSpecifier;
  } else if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) {
    specifier = declaration.moduleReference.expression;
  }
  return specifier && ts.isStringLiteralLike(specifier) ? { module: specifier.text, name } : undefined;
}

function isPublicMember(member: ts.ClassElement | ts.TypeElement): boolean {
  if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member) || ts.isIndexSignatureDeclaration(member)) return false;
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  const flags = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
  return !flags.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
}

function isPublicParameterProperty(parameter: ts.ParameterDeclaration): boolean {
  const modifiers = ts.getModifiers(parameter) ?? [];
  const property = modifiers.some((m) => m.kind === ts.SyntaxKind.PublicKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword);
  const hidden = modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  return property && !hidden;
}

function nameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function describeName(declared: string, exported: string): string {
  return declared === exported || declared === 'default' ? exported : `${declared} (as ${exported})`;
}

/** `billing's`, `orders'`. */
function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}
