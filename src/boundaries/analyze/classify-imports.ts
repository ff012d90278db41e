import type { ApplicationModule, ApplicationModules } from '../../core/index.js';
import { importHint, type ImportStyle } from '../config/import-hint.js';
import { isMockCall } from '../config/mock-functions.js';
import { baseUrlAliases, looksLikeAlias, matchesAlias, type ProjectImports } from '../config/project-imports.js';
import type { ExtractedDependency, ExtractedFile } from '../extract/extracted.js';
import { isProjectFile } from '../extract/project-file.js';
import { isPathSpecifier } from '../extract/specifiers.js';
import type { BoundaryViolation } from './boundary-violation.js';
import { describeImport, isBaseUrlImport, isSelfReference, isTestFile, writesJsExtensions } from './source-kinds.js';

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
  /** How this project's imports name files, so fix hints suggest imports that resolve here (without it: relative paths). */
  imports?: ProjectImports;
}

/** How the file being judged writes imports: what a fix hint for it must look like. */
interface HintContext {
  rootDir: string;
  imports: ProjectImports | undefined;
  style: ImportStyle;
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
  // A file without relative imports of its own writes them the way most files of the project do.
  const styles = files.map((f) => writesJsExtensions(f.dependencies));
  const projectJs = styles.filter((s) => s === true).length > styles.filter((s) => s === false).length;
  const baseUrlImports = files.some((f) => f.dependencies.some(isBaseUrlImport));
  for (const [index, file] of files.entries()) {
    const source = model.moduleOf(file.path);
    const hints: HintContext = { rootDir: model.rootDir, imports: context.imports, style: { jsExtensions: styles[index] ?? projectJs, baseUrlImports } };
    for (const dep of file.dependencies) {
      if (dep.couldNotResolve) {
        // A path, an alias or a baseUrl path that resolves nowhere is broken, and so is an
        // alias-looking one (`~/x`, or through a tsconfig the check did not find): any of them could
        // hide a boundary crossing, so none passes silently. A missing npm package, or the package
        // naming itself without resolving, is the compiler's business.
        const projectImport = isPathSpecifier(dep.specifier, context.pathAliases) || (!isSelfReference(dep.specifier, context.packageName) && looksLikeAlias(dep.specifier, context.imports));
        if (source && projectImport) violations.push(unresolved(file.path, dep, source, context.imports));
        continue;
      }
      // However it resolved (relative, alias, baseUrl, the package's own name, a workspace package):
      // a project file is a project file.
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
      const violation = judge(model, file.path, dep, source, target, hints);
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
  hints: HintContext,
): BoundaryViolation | undefined {
  const base = { severity: 'error' as const, from, to: dep.resolved, fromModule: source?.name ?? null, toModule: target.name, line: dep.line };
  const publicApi = target.isPublicEntry(dep.resolved);
  const who = source ? source.name : from;
  const how = describeImport(dep);
  const via = how === 'an import' ? '' : ` with ${how}`;
  const specifier = importHint(target, from, hints.rootDir, hints.imports, hints.style);
  const publicFile = target.entry ?? `${target.dir}/index.ts`;
  const importInstead = target.entry ? `import from '${specifier}' instead` : `give ${target.name} a public ${target.dir}/index.ts and import from it`;
  const cycle = source && !model.mayUse(source.name, target.name) ? declaredPath(model, target.name, source.name) : undefined;
  const decouple = cycle ? cycleAdvice(source!.name, target.name, cycle) : undefined;
  const declare = !source || model.mayUse(source.name, target.name) ? '' : decouple ? `; but ${decouple}` : ` and add "${target.name}" to "dependsOn" in ${source.manifest}`;

  if (isMockCall(dep.exoticRequire)) {
    if (publicApi) return undefined;
    return {
      ...base,
      rule: 'test-mocks-internals',
      message: `${who} mocks ${target.name}'s internals with ${how}; mock '${specifier}' instead`,
      fix: `mock ${target.name}'s public API (${publicFile}) rather than ${dep.resolved}`,
    };
  }
  if (!publicApi) {
    if (!source) {
      return {
        ...base,
        rule: 'shell-imports-internals',
        message: `app-shell file ${from} reaches into ${target.name}'s internals${via}; ${importInstead}`,
        fix: `export what the shell needs from ${publicFile} and import that`,
      };
    }
    if (source.isPublicEntry(from) && dep.kinds.includes('export')) {
      return {
        ...base,
        rule: 'reexports-internals',
        message: `${source.name}'s public API re-exports ${target.name}'s internals (${dep.resolved}); it would leak them to every user of ${source.name}`,
        fix: `remove the re-export; users who need it import ${target.name}'s public API (${publicFile}) themselves${declare}`,
      };
    }
    return {
      ...base,
      rule: 'deep-import',
      message: `${source.name} reaches into ${target.name}'s internals${via}; ${importInstead}`,
      fix: `export what ${source.name} needs from ${publicFile} and import '${specifier}'${declare}`,
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
    fix: decouple ? `remove the import: ${decouple}` : `add "${target.name}" to "dependsOn" in ${source.manifest}, or remove the import`,
  };
}

/**
 * Declaring source -> target when target already reaches source would make the declared graph
 * cyclic, which the model rejects: the way out is a decoupling, not a declaration.
 */
function cycleAdvice(source: string, target: string, back: readonly string[]): string {
  return (
    `declaring "${target}" in ${source}'s dependsOn would create the cycle ${[source, ...back].join(' -> ')}; ` +
    `have ${source} publish an event ${target} listens to, or move what both need into a shared module`
  );
}

function unresolved(from: string, dep: ExtractedDependency, source: ApplicationModule, imports: ProjectImports | undefined): BoundaryViolation {
  const spec = dep.specifier;
  const alias = imports?.paths.find((p) => matchesAlias(spec, p.alias));
  const baseUrl = imports?.baseUrl !== undefined && baseUrlAliases(imports.baseUrl).some((a) => matchesAlias(spec, a));
  const fix =
    spec.startsWith('.') || spec.startsWith('/')
      ? 'correct the path, or create the missing file'
      : alias
        ? `correct the import (or the "paths" alias '${alias.alias}' in ${imports!.declaredIn.paths ?? imports!.tsConfig}), or create the missing file`
        : baseUrl
          ? `correct the path (it resolves from the baseUrl of ${imports!.declaredIn.baseUrl ?? imports!.tsConfig}), or create the missing file`
          : imports && imports.tsConfig === undefined
            ? 'no tsconfig was found, so no path alias resolves: pass --tsconfig FILE naming the tsconfig that declares it (or add a tsconfig.json that extends it), or correct the import'
            : `correct the import, or declare its alias in the "paths" of ${imports?.tsConfig ?? 'the tsconfig'}`;
  return {
    rule: 'unresolved-import',
    severity: 'error',
    from,
    to: dep.specifier,
    fromModule: source.name,
    toModule: null,
    line: dep.line,
    message: `${source.name} imports '${dep.specifier}', which resolves to no file`,
    fix,
  };
}

/**
 * A chain of declared dependencies from module `from` to module `to` (`['billing', 'orders']` when
 * billing's dependsOn lists orders), shortest first; undefined when `to` is out of reach. Tells
 * whether declaring `to -> from` would close a cycle.
 */
function declaredPath(model: ApplicationModules, from: string, to: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current === to) {
      const path = [current];
      while (path[0] !== from) path.unshift(previous.get(path[0])!);
      return path;
    }
    for (const next of model.get(current)?.dependsOn ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, current);
      queue.push(next);
    }
  }
  return undefined;
}
