import type { ApplicationModule, ApplicationModules } from '../../core/index.js';
import { isMockCall } from '../config/mock-functions.js';
import type { ExtractedDependency, ExtractedFile } from '../extract/extracted.js';
import type { BoundaryViolation } from './boundary-violation.js';
import { isPathSpecifier } from '../extract/specifiers.js';
import { describeImport, isSelfReference, isTestFile } from './source-kinds.js';

/** A file of one module depending on a file of another: the raw material of module-level analysis. */
export interface ModuleEdge {
  from: string;
  to: string;
  line?: number;
  fromModule: string;
  toModule: string;
  /** Whether it counts for module-level cycles (tests and mocks do not: they ship nowhere). */
  structural: boolean;
}

export interface ClassifyContext {
  packageName: string | undefined;
  pathAliases: readonly string[];
}

/**
 * Judges every dependency of every file against the model: at most one violation per import,
 * the most specific rule winning (a mock, then a re-exporting index, then the deep import, then
 * the undeclared or shared-kernel dependency). Also returns the module edges it saw.
 */
export function classifyImports(
  model: ApplicationModules,
  files: readonly ExtractedFile[],
  context: ClassifyContext,
): { violations: BoundaryViolation[]; edges: ModuleEdge[] } {
  const violations: BoundaryViolation[] = [];
  const edges: ModuleEdge[] = [];
  for (const file of files) {
    const source = model.moduleOf(file.path);
    for (const dep of file.dependencies) {
      if (isSelfReference(dep.specifier, context.packageName)) continue;
      if (dep.couldNotResolve) {
        if (source && isPathSpecifier(dep.specifier, context.pathAliases)) violations.push(unresolved(file.path, dep, source));
        continue;
      }
      const target = isProjectFile(dep) ? model.moduleOf(dep.resolved) : undefined;
      if (!target || target === source) continue;
      if (source) {
        edges.push({
          from: file.path,
          to: dep.resolved,
          line: dep.line,
          fromModule: source.name,
          toModule: target.name,
          structural: !isTestFile(file.path) && !isMockCall(dep.exoticRequire),
        });
      }
      const violation = judge(model, file.path, dep, source, target);
      if (violation) violations.push(violation);
    }
  }
  return { violations, edges };
}

function judge(
  model: ApplicationModules,
  from: string,
  dep: ExtractedDependency,
  source: ApplicationModule | undefined,
  target: ApplicationModule,
): BoundaryViolation | undefined {
  const base = { severity: 'error' as const, from, to: dep.resolved, fromModule: source?.name ?? null, toModule: target.name, line: dep.line };
  const publicApi = target.isPublicEntry(dep.resolved);
  const who = source ? source.name : from;
  const how = describeImport(dep);
  const via = how === 'an import' ? '' : ` with ${how}`;
  const importInstead = target.entry ? `import from '${target.dir}' instead` : `give ${target.name} a public ${target.dir}/index.ts and import from it`;
  const declare = source && !model.mayUse(source.name, target.name) ? ` and add "${target.name}" to "dependsOn" in ${source.manifest}` : '';

  if (isMockCall(dep.exoticRequire)) {
    if (publicApi) return undefined;
    return {
      ...base,
      rule: 'test-mocks-internals',
      message: `${who} mocks ${target.name}'s internals with ${how}; mock '${target.dir}' instead`,
      fix: `mock ${target.name}'s public API (${target.entry ?? `${target.dir}/index.ts`}) rather than ${dep.resolved}`,
    };
  }
  if (!publicApi) {
    if (!source) {
      return {
        ...base,
        rule: 'shell-imports-internals',
        message: `app-shell file ${from} reaches into ${target.name}'s internals${via}; ${importInstead}`,
        fix: `export what the shell needs from ${target.entry ?? `${target.dir}/index.ts`} and import that`,
      };
    }
    if (source.isPublicEntry(from) && dep.kinds.includes('export')) {
      return {
        ...base,
        rule: 'reexports-internals',
        message: `${source.name}'s public API re-exports ${target.name}'s internals (${dep.resolved}); it would leak them to every user of ${source.name}`,
        fix: `remove the re-export; users who need it import '${target.dir}' themselves${declare}`,
      };
    }
    return {
      ...base,
      rule: 'deep-import',
      message: `${source.name} reaches into ${target.name}'s internals${via}; ${importInstead}`,
      fix: `export what ${source.name} needs from ${target.entry ?? `${target.dir}/index.ts`} and import '${target.dir}'${declare}`,
    };
  }
  if (!source || model.mayUse(source.name, target.name)) return undefined;
  if (source.shared && !target.shared) {
    return {
      ...base,
      rule: 'shared-imports-module',
      message: `shared module ${source.name} imports non-shared module ${target.name} (${how}); a shared kernel may use only shared modules`,
      fix: `move what ${source.name} needs into a shared module, or invert the dependency with an event ${target.name} publishes`,
    };
  }
  return {
    ...base,
    rule: 'undeclared-dependency',
    message: `${source.name} uses ${target.name} (${how}) but ${source.manifest} does not declare it`,
    fix: `add "${target.name}" to "dependsOn" in ${source.manifest}, or remove the import`,
  };
}

function unresolved(from: string, dep: ExtractedDependency, source: ApplicationModule): BoundaryViolation {
  return {
    rule: 'unresolved-import',
    severity: 'error',
    from,
    to: dep.specifier,
    fromModule: source.name,
    toModule: null,
    line: dep.line,
    message: `${source.name} imports '${dep.specifier}', which resolves to no file`,
    fix: 'correct the path (or the tsconfig "paths" alias), or create the missing file',
  };
}

/** Resolved to a file of this project (possibly through an alias), not an npm package or builtin. */
function isProjectFile(dep: ExtractedDependency): boolean {
  return dep.kinds.includes('local') && !dep.resolved.startsWith('node_modules/') && !dep.resolved.includes('/node_modules/');
}
