import ts from 'typescript';

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * Which imports the program follows. `public-api` (the default): only what the public API's
 * symbols can depend on: every `export ... from`, and the imports whose names an exported
 * declaration uses in its signature (types of members, parameters and returns, heritage clauses,
 * decorator names, `export { x }` of an import, exported initialisers). A Nest module's providers
 * or a service's body never pull their files in, so the program grows with the size of the
 * public APIs rather than of the code base. `all-imports`: every import, like tsc.
 * `declarations`: what the declarations of a file can depend on, exported or not — every
 * signature, type, heritage clause, decorator with its arguments, top-level initialiser — and the
 * classes a file constructs (`new X(...)`), but no import only a function or method body uses
 * otherwise (module contracts: controllers, listeners and event publications are not exported).
 */
export type AnalysisScope = 'public-api' | 'all-imports' | 'declarations';

/**
 * One Program over the given root files only, made for symbol analysis rather than type checking:
 * no emit, no lib, no @types, and every import that resolves into node_modules is left unresolved,
 * so the compiler parses the project's own files and nothing else (Nest's and TypeORM's
 * declarations alone are thousands of lines). Imports from npm packages stay visible as
 * unresolved aliases: `externalOrigin` in the analysis still tells `Repository` from 'typeorm'.
 * Module resolution is the project's own (baseUrl, paths, moduleResolution, package.json "type").
 */
export function createAnalysisProgram(
  rootNames: readonly string[],
  projectOptions: ts.CompilerOptions,
  scope: AnalysisScope = 'public-api',
  workspace?: AnalysisWorkspace,
): ts.Program {
  const options: ts.CompilerOptions = {
    ...projectOptions,
    noEmit: true,
    skipLibCheck: true,
    noLib: true,
    types: [],
    typeRoots: [],
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    sourceMap: false,
    inlineSourceMap: false,
    composite: false,
    incremental: false,
    tsBuildInfoFile: undefined,
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  // No setParentNodes: the binder sets parent pointers anyway when the checker is created.
  const host = ts.createCompilerHost(options, false);
  if (workspace) {
    // Parsed files live as long as the workspace: a later program re-parses only what changed
    // (and, given the previous program, reuses its structure).
    host.getSourceFile = (fileName, languageVersion) => {
      const text = host.readFile(fileName);
      if (text === undefined) return undefined;
      const format = typeof languageVersion === 'object' ? languageVersion.impliedNodeFormat : undefined;
      const known = workspace.sourceFiles.get(fileName);
      if (known && known.text === text && known.impliedNodeFormat === format && known.languageVersion === (typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion)) {
        return known;
      }
      const parsed = ts.createSourceFile(fileName, text, languageVersion, false);
      workspace.sourceFiles.set(fileName, parsed);
      return parsed;
    };
  }
  // Module resolution probes the same paths over and over (every `.js` import tries `.ts`, `.tsx`,
  // `.d.ts`, ...); one stat per path is enough for one run.
  memoize(host, 'fileExists');
  memoize(host, 'directoryExists');
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, options);
  // Shared with the program, which otherwise re-reads the package.json scope of every file to
  // decide whether it is ESM or CommonJS.
  host.getModuleResolutionCache = () => cache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) => {
    const targets = new Set<string>();
    const results = literals.map((literal) => {
      if (scope !== 'all-imports' && !neededSpecifiers(containingSourceFile, scope === 'declarations').has(literal)) return { resolvedModule: undefined };
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const result = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirectedReference, mode);
      const resolved = result.resolvedModule;
      if (resolved && (resolved.isExternalLibraryImport || NODE_MODULES.test(resolved.resolvedFileName))) {
        return { resolvedModule: undefined };
      }
      if (resolved) targets.add(resolved.resolvedFileName);
      return result;
    });
    // TypeScript asks once per file and program (not again for a file a new program reuses).
    workspace?.imports.set(containingSourceFile.fileName, targets);
    return results;
  };
  host.resolveTypeReferenceDirectiveReferences = (references) =>
    references.map(() => ({ resolvedTypeReferenceDirective: undefined }));
  const program = ts.createProgram({ rootNames, options, host, ...(workspace?.program ? { oldProgram: workspace.program } : {}) });
  if (workspace) workspace.program = program;
  return program;
}

/**
 * What consecutive analysis programs share (watch mode, incremental leak analysis): parsed files,
 * the previous program, and the project files each file's needed imports resolved to (absolute),
 * recorded as TypeScript resolves them.
 */
export interface AnalysisWorkspace {
  sourceFiles: Map<string, ts.SourceFile>;
  imports: Map<string, Set<string>>;
  program?: ts.Program;
}

export function createAnalysisWorkspace(): AnalysisWorkspace {
  return { sourceFiles: new Map(), imports: new Map() };
}

function memoize(host: ts.CompilerHost, method: 'fileExists' | 'directoryExists'): void {
  const original = host[method]?.bind(host);
  if (!original) return;
  const known = new Map<string, boolean>();
  host[method] = (path: string) => {
    let exists = known.get(path);
    if (exists === undefined) {
      exists = original(path);
      known.set(path, exists);
    }
    return exists;
  };
}

const needed = new WeakMap<ts.SourceFile, Set<ts.Node>>();
const neededByDeclarations = new WeakMap<ts.SourceFile, Set<ts.Node>>();

/** The module specifiers of a file the public-API analysis (or, `declarations`, the contract analysis) needs resolved (see AnalysisScope). */
function neededSpecifiers(file: ts.SourceFile, declarations = false): Set<ts.Node> {
  const cache = declarations ? neededByDeclarations : needed;
  let specifiers = cache.get(file);
  if (specifiers) return specifiers;
  specifiers = new Set();
  cache.set(file, specifiers);

  // Names the file's exported declarations use; an over-approximation only costs a file or two.
  const names = new Set<string>();
  const collect = (node: ts.Node | undefined): void => {
    if (!node) return;
    if (ts.isIdentifier(node)) names.add(node.text);
    else ts.forEachChild(node, collect);
  };
  const locallyExported = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const local = (element.propertyName ?? element.name).text;
        locallyExported.add(local);
        names.add(local);
      }
    } else if (ts.isExportAssignment(statement)) {
      collect(statement.expression);
    }
  }
  const isExported = (statement: ts.Statement, name: string | undefined): boolean =>
    declarations ||
    (ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) ||
    (name !== undefined && locallyExported.has(name));
  if (declarations) {
    // Decorators with their arguments (@FeatureModule({ facades: [...] }), @OnModuleEvent(X),
    // @Body() on parameters) and the classes constructed anywhere (`new X(...)`: an event published).
    const visit = (node: ts.Node): void => {
      if (ts.isDecorator(node)) collect(node.expression);
      else if (ts.isNewExpression(node)) collect(node.expression);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const signatureOf = (node: ts.SignatureDeclaration | ts.PropertyDeclaration | ts.PropertySignature): void => {
    collect(node.type);
    if ('parameters' in node) for (const parameter of node.parameters) collect(parameter.type);
    if ('typeParameters' in node) for (const parameter of node.typeParameters ?? []) collect(parameter);
  };
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      if (!isExported(statement, statement.name?.text)) continue;
      if (ts.isClassDeclaration(statement)) {
        for (const decorator of ts.getDecorators(statement) ?? []) {
          let callee: ts.Expression = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
          while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
          collect(callee);
        }
      }
      for (const clause of statement.heritageClauses ?? []) collect(clause);
      for (const parameter of statement.typeParameters ?? []) collect(parameter);
      for (const member of statement.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
        if (
          ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isPropertyDeclaration(member) ||
          ts.isPropertySignature(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member) ||
          ts.isCallSignatureDeclaration(member) || ts.isConstructSignatureDeclaration(member) || ts.isIndexSignatureDeclaration(member)
        ) {
          signatureOf(member);
        } else if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            const modifiers = ts.getModifiers(parameter) ?? [];
            const hidden = modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
            if (declarations || (modifiers.length > 0 && !hidden)) collect(parameter.type);
          }
        }
      }
    } else if (ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      if (isExported(statement, statement.name.text)) collect(statement);
    } else if (ts.isFunctionDeclaration(statement)) {
      if (isExported(statement, statement.name?.text)) signatureOf(statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const name = ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
        if (isExported(statement, name)) {
          collect(declaration.type);
          collect(declaration.initializer);
        }
      }
    } else if (ts.isModuleDeclaration(statement)) {
      collect(statement);
    }
  }

  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      specifiers.add(statement.moduleSpecifier);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      const bound = [
        clause.name?.text,
        ...(clause.namedBindings
          ? ts.isNamespaceImport(clause.namedBindings)
            ? [clause.namedBindings.name.text]
            : clause.namedBindings.elements.map((e) => e.name.text)
          : []),
      ];
      if (bound.some((name) => name !== undefined && names.has(name))) specifiers.add(statement.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      if (names.has(statement.name.text)) specifiers.add(statement.moduleReference.expression);
    } else if (ts.isModuleDeclaration(statement) && ts.isStringLiteral(statement.name)) {
      specifiers.add(statement.name);
    }
  }
  return specifiers;
}
