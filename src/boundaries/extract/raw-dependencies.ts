import type TypeScript from 'typescript';
import type { ExtractedDependency } from './extracted.js';

/**
 * A dependency as dependency-cruiser's TypeScript extractor reports it before resolution: what a
 * file says, not what it resolves to.
 */
export interface RawDependency {
  module: string;
  moduleSystem: string;
  dynamic: boolean;
  exoticallyRequired: boolean;
  exoticRequire?: string;
  dependencyTypes: string[];
}

/** The dependency-cruiser options that shape the raw list (normalised the way it normalises them). */
export interface RawOptions {
  exoticRequireStrings: readonly string[];
  moduleSystems: readonly string[];
  detectJSDocImports: boolean;
  detectProcessBuiltinModuleCalls: boolean;
}

/** Files dependency-cruiser reads with the TypeScript parser when tsPreCompilationDeps is on. */
const TS_COMPATIBLE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

export function canReadRaw(path: string): boolean {
  return TS_COMPATIBLE.test(path);
}

/**
 * The raw dependencies of a file, computed exactly as dependency-cruiser 17's TypeScript
 * extractor computes them (src/extract/tsc/extract-typescript-deps.mjs, then the moduleSystems
 * filter, the module-name canonicalisation and the de-duplication of extract-dependencies.mjs),
 * from the same parse (`createSourceFile(name, text, Latest, false)`). A copy, so that a changed
 * file can be read without importing dependency-cruiser; test/boundaries/raw-dependencies.spec.ts
 * holds it to dependency-cruiser's own function on real and randomly mutated files.
 * Adapted from dependency-cruiser (MIT License, Copyright (c) 2016-2025 Sander Verweij).
 */
export function rawDependencies(ts: typeof TypeScript, absolutePath: string, text: string, options: RawOptions): RawDependency[] {
  const ast = ts.createSourceFile(absolutePath, text, ts.ScriptTarget.Latest, false);
  const K = ts.SyntaxKind;
  const interesting = new Set<number>([K.CallExpression, K.ExportDeclaration, K.ImportDeclaration, K.ImportEqualsDeclaration, K.LastTypeNode]);
  type Node = TypeScript.Node & Record<string, any>;

  const isTypeOnlyImport = (s: Node): boolean =>
    Boolean(s.importClause && (s.importClause.isTypeOnly || (s.importClause.namedBindings && s.importClause.namedBindings.elements && s.importClause.namedBindings.elements.every((e: Node) => e.isTypeOnly))));
  const isTypeOnlyExport = (s: Node): boolean =>
    Boolean(s.isTypeOnly || (s.exportClause && s.exportClause.elements && s.exportClause.elements.every((e: Node) => e.isTypeOnly)));
  const statements = ast.statements as unknown as Node[];

  const result: Array<Omit<RawDependency, 'dynamic'> & { dynamic?: boolean }> = [];
  for (const s of statements) {
    if (s.kind === K.ImportDeclaration && s.moduleSpecifier) {
      result.push({ module: s.moduleSpecifier.text, moduleSystem: 'es6', exoticallyRequired: false, dependencyTypes: isTypeOnlyImport(s) ? ['type-only', 'import'] : ['import'] });
    }
  }
  for (const s of statements) {
    if (s.kind === K.ExportDeclaration && s.moduleSpecifier) {
      result.push({ module: s.moduleSpecifier.text, moduleSystem: 'es6', exoticallyRequired: false, dependencyTypes: isTypeOnlyExport(s) ? ['type-only', 'export'] : ['export'] });
    }
  }
  for (const s of statements) {
    if (s.kind === K.ImportEqualsDeclaration && s.moduleReference && s.moduleReference.expression && s.moduleReference.expression.text) {
      result.push({ module: s.moduleReference.expression.text, moduleSystem: 'cjs', exoticallyRequired: false, dependencyTypes: ['import-equals'] });
    }
  }
  const file = ast as unknown as Node;
  for (const r of file.referencedFiles as Node[]) {
    result.push({ module: r.fileName, moduleSystem: 'tsd', exoticallyRequired: false, dependencyTypes: ['triple-slash-directive', 'triple-slash-file-reference'] });
  }
  for (const r of file.typeReferenceDirectives as Node[]) {
    result.push({ module: r.fileName, moduleSystem: 'tsd', exoticallyRequired: false, dependencyTypes: ['triple-slash-directive', 'triple-slash-type-reference'] });
  }
  for (const r of file.amdDependencies as Node[]) {
    result.push({ module: r.path, moduleSystem: 'tsd', exoticallyRequired: false, dependencyTypes: ['triple-slash-directive', 'triple-slash-amd-dependency'] });
  }

  const firstArgumentIsAString = (n: Node): boolean => {
    const first = n.arguments[0];
    return Boolean(first && (first.kind === K.StringLiteral || first.kind === K.FirstTemplateToken));
  };
  const isRequireCall = (n: Node): boolean => {
    if (n.kind === K.CallExpression && n.expression) {
      return (K as unknown as Record<number, string>)[ts.identifierToKeywordKind(n.expression) as number] === 'RequireKeyword' && firstArgumentIsAString(n);
    }
    return false;
  };
  const isSingleExotic = (n: Node, name: string): boolean => n.kind === K.CallExpression && n.expression && n.expression.text === name && firstArgumentIsAString(n);
  const isCompositeExotic = (n: Node, object: string, property: string): boolean =>
    n.kind === K.CallExpression &&
    n.expression &&
    n.expression.kind === K.PropertyAccessExpression &&
    n.expression.expression &&
    n.expression.expression.kind === K.Identifier &&
    n.expression.expression.escapedText === object &&
    n.expression.name &&
    n.expression.name.kind === K.Identifier &&
    n.expression.name.escapedText === property &&
    firstArgumentIsAString(n);
  const isTripleCursed = (n: Node, object1: string, object2: string, property: string): boolean =>
    n.kind === K.CallExpression &&
    n.expression &&
    n.expression.kind === K.PropertyAccessExpression &&
    n.expression.expression &&
    n.expression.expression.kind === K.PropertyAccessExpression &&
    n.expression.expression.expression &&
    n.expression.expression.expression.kind === K.Identifier &&
    n.expression.expression.expression.escapedText === object1 &&
    n.expression.expression.name.kind === K.Identifier &&
    n.expression.expression.name.escapedText === object2 &&
    n.expression.name &&
    n.expression.name.kind === K.Identifier &&
    n.expression.name.escapedText === property &&
    firstArgumentIsAString(n);
  const isExotic = (n: Node, name: string): boolean => {
    const parts = name.split('.');
    return parts.length > 1 ? isCompositeExotic(n, parts[0], parts[1]) : isSingleExotic(n, name);
  };
  const isDynamicImport = (n: Node): boolean => n.kind === K.CallExpression && n.expression && n.expression.kind === K.ImportKeyword && firstArgumentIsAString(n);
  const isTypeImport = (n: Node): boolean =>
    n.kind === K.LastTypeNode &&
    n.argument &&
    n.argument.kind === K.LiteralType &&
    ((n.argument.literal && n.argument.literal.kind === K.StringLiteral) || n.argument.literal.kind === K.FirstTemplateToken);

  const jsDocImport = (n: Node | undefined): boolean =>
    Boolean(n?.kind === K.LastTypeNode && n.argument?.kind === K.LiteralType && n.argument?.literal?.kind === K.StringLiteral && n.argument.literal.text);
  const IGNORABLE = new Set(['parent', 'pos', 'end', 'flags', 'emitNode', 'modifierFlagsCache', 'transformFlags', 'id', 'flowNode', 'symbol', 'original']);
  const walkJSDoc = (o: any, collection: Set<string>): void => {
    if (jsDocImport(o)) collection.add(o.argument.literal.text);
    else if (Array.isArray(o)) for (const v of o) walkJSDoc(v, collection);
    else if (typeof o === 'object') {
      for (const key in o) if (!IGNORABLE.has(key) && o[key]) walkJSDoc(o[key], collection);
    }
  };
  const jsDocImports = (jsDoc: Node[]): typeof result => {
    const withTags = jsDoc.filter((line) => line.tags);
    const tags = withTags.flatMap((line) =>
      (line.tags as Node[])
        .filter((t) => t.tagName.escapedText === 'import' && t.moduleSpecifier && t.moduleSpecifier.kind === K.StringLiteral && t.moduleSpecifier.text)
        .map((t) => ({ module: t.moduleSpecifier.text as string, moduleSystem: 'es6', exoticallyRequired: false, dependencyTypes: ['type-only', 'import', 'jsdoc', 'jsdoc-import-tag'] })),
    );
    const brackets = withTags.flatMap((line) =>
      (line.tags as Node[])
        .filter((t) => t.tagName.escapedText !== 'import' && t.typeExpression?.kind === K.FirstJSDocNode)
        .flatMap((t) => {
          const collection = new Set<string>();
          walkJSDoc(t, collection);
          return [...collection];
        })
        .map((module) => ({ module, moduleSystem: 'es6', exoticallyRequired: false, dependencyTypes: ['type-only', 'import', 'jsdoc', 'jsdoc-bracket-import'] })),
    );
    return [...tags, ...brackets];
  };

  const visit = (n: Node): void => {
    if (isRequireCall(n)) {
      result.push({ module: n.arguments[0].text, moduleSystem: 'cjs', exoticallyRequired: false, dependencyTypes: ['require'] });
      return;
    }
    if (isDynamicImport(n)) {
      result.push({ module: n.arguments[0].text, moduleSystem: 'es6', dynamic: true, exoticallyRequired: false, dependencyTypes: ['dynamic-import'] });
      return;
    }
    if (isTypeImport(n)) {
      result.push({ module: n.argument.literal.text, moduleSystem: 'es6', exoticallyRequired: false, dependencyTypes: ['type-import'] });
      return;
    }
    if (n.kind === K.CallExpression) {
      for (const name of options.exoticRequireStrings) {
        if (isExotic(n, name)) {
          result.push({ module: n.arguments[0].text, moduleSystem: 'cjs', exoticallyRequired: true, exoticRequire: name, dependencyTypes: ['exotic-require'] });
          return;
        }
      }
    }
    if (options.detectProcessBuiltinModuleCalls && (isCompositeExotic(n, 'process', 'getBuiltinModule') || isTripleCursed(n, 'globalThis', 'process', 'getBuiltinModule'))) {
      result.push({ module: n.arguments[0].text, moduleSystem: 'cjs', exoticallyRequired: false, dependencyTypes: ['process-get-builtin-module'] });
    }
  };
  const walk = (n: Node): void => {
    if (options.detectJSDocImports && n.jsDoc) result.push(...jsDocImports(n.jsDoc));
    if (interesting.has(n.kind)) visit(n);
    ts.forEachChild(n, walk as (node: TypeScript.Node) => void);
  };
  walk(file);

  // extract-dependencies.mjs: moduleSystems filter, module attributes (node:fs -> fs), de-duplication.
  const seen = new Set<string>();
  const unique: RawDependency[] = [];
  for (const d of result) {
    if (!options.moduleSystems.includes(d.moduleSystem)) continue;
    const dependency: RawDependency = { dynamic: false, ...d, module: canonicalModule(d.module) };
    const key = `${dependency.module} ${dependency.moduleSystem} ${dependency.dependencyTypes.includes('type-only')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(dependency);
  }
  return unique;
}

const PROTOCOL_ONLY_BUILTINS = new Set(['node:sea', 'node:sqlite', 'node:test', 'node:test/reporters', 'bun:ffi', 'bun:jsc', 'bun:sqlite', 'bun:test', 'bun:wrap']);

/** dependency-cruiser's extractModuleAttributes(...).module: `node:fs` -> `fs`, `file:./x` -> `./x`. */
function canonicalModule(module: string): string {
  const match = module.match(/^(?<protocol>node:|file:|data:|bun:)(?:(?<mimeType>[^,]+),)?(?<module>.+)$/);
  if (!match?.groups) return module;
  const protocol = match.groups.protocol;
  const withProtocol = protocol + match.groups.module;
  return (protocol === 'node:' || protocol === 'bun:') && !PROTOCOL_ONLY_BUILTINS.has(withProtocol) ? match.groups.module : withProtocol;
}

/** Dependency types dependency-cruiser's resolution puts in front of the extractor's own. */
const RESOLUTION_TYPES = new Set([
  'aliased', 'aliased-subpath-import', 'aliased-tsconfig', 'aliased-tsconfig-base-url', 'aliased-tsconfig-paths', 'aliased-webpack', 'aliased-workspace',
  'core', 'deprecated', 'local', 'localmodule', 'npm', 'npm-bundled', 'npm-dev', 'npm-no-pkg', 'npm-optional', 'npm-peer', 'npm-unknown', 'undetermined', 'unknown',
]);

/**
 * The resolved dependencies of a file whose raw list is `raw`, taken from `previous` (the same
 * file's dependencies before an edit) when the edit did not change what the file imports: every
 * raw dependency matches exactly one previous one (same module, same extractor types after the
 * resolution types, same exotic require; an unresolved one is only `unknown`) and none is left
 * over. Resolution depends on the raw
 * dependency and the file system only, so the answer is the one dependency-cruiser would give
 * (when the file system changed in a way that matters, the caller re-extracts instead).
 * Undefined when anything differs.
 */
export function reuseResolved(raw: readonly RawDependency[], previous: readonly ExtractedDependency[]): Omit<ExtractedDependency, 'line'>[] | undefined {
  if (raw.length !== previous.length) return undefined;
  const used = new Set<number>();
  for (const r of raw) {
    const index = previous.findIndex((p, i) => !used.has(i) && matches(r, p));
    if (index < 0) return undefined;
    used.add(index);
  }
  return previous.map(({ line, ...rest }) => {
    void line;
    return rest;
  });
}

function matches(raw: RawDependency, previous: ExtractedDependency): boolean {
  if (previous.specifier !== raw.module || previous.exoticRequire !== raw.exoticRequire) return false;
  // What resolved nowhere is `unknown` and nothing else, however it was imported (es6, cjs and
  // tsd imports resolve alike): the same specifier gives the same dependency.
  if (previous.couldNotResolve) return previous.kinds.length === 1 && previous.kinds[0] === 'unknown' && raw.moduleSystem !== 'amd';
  const own = raw.dependencyTypes;
  const kinds = previous.kinds;
  if (kinds.length < own.length) return false;
  const offset = kinds.length - own.length;
  for (let i = 0; i < offset; i++) if (!RESOLUTION_TYPES.has(kinds[i])) return false;
  for (let i = 0; i < own.length; i++) if (kinds[offset + i] !== own[i]) return false;
  return true;
}
