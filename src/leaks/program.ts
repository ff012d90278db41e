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
  const host = ts.createCompilerHost(options, true);
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, options);
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
