import ts from 'typescript';

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * One Program over the given root files only, made for symbol analysis rather than type checking:
 * no emit, no lib, no @types, and every import that resolves into node_modules is left unresolved,
 * so the compiler parses the project's own files and nothing else (Nest's and TypeORM's
 * declarations alone are thousands of lines). Imports from npm packages stay visible as
 * unresolved aliases: `externalOrigin` in the analysis still tells `Repository` from 'typeorm'.
 * Module resolution is the project's own (baseUrl, paths, moduleResolution, package.json "type").
 */
export function createAnalysisProgram(rootNames: readonly string[], projectOptions: ts.CompilerOptions): ts.Program {
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
  // Module resolution probes the same paths over and over (every `.js` import tries `.ts`, `.tsx`,
  // `.d.ts`, ...); one stat per path is enough for one run.
  memoize(host, 'fileExists');
  memoize(host, 'directoryExists');
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, options);
  // Shared with the program, which otherwise re-reads the package.json scope of every file to
  // decide whether it is ESM or CommonJS.
  host.getModuleResolutionCache = () => cache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const result = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirectedReference, mode);
      const resolved = result.resolvedModule;
      if (resolved && (resolved.isExternalLibraryImport || NODE_MODULES.test(resolved.resolvedFileName))) {
        return { resolvedModule: undefined };
      }
      return result;
    });
  host.resolveTypeReferenceDirectiveReferences = (references) =>
    references.map(() => ({ resolvedTypeReferenceDirective: undefined }));
  return ts.createProgram({ rootNames, options, host });
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
