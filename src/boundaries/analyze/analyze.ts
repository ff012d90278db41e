import type { ApplicationModules } from '../../core/index.js';
import type { Extraction } from '../extract/extracted.js';
import { compareViolations, type BoundaryViolation } from './boundary-violation.js';
import { classifyImports, type ClassifyContext } from './classify-imports.js';
import { declaredCycles, mergeCycles } from './declared-cycles.js';
import { moduleCycles } from './module-cycles.js';
import { orphanFiles } from './orphan-files.js';
import { unusedDependencies } from './unused-dependencies.js';

export interface AnalyzeContext extends ClassifyContext {
  /** Reads a project file (module.json) for line numbers; undefined when unreadable. */
  readFile: (path: string) => string | undefined;
  /** The config file the user's own rules come from. */
  configFile: string | undefined;
}

/**
 * Stage 2 of the check, a pure function of the model and the extraction: file-level boundary
 * rules, module-level cycles (of the imports and of the declared graph), unused declarations,
 * orphan folders, and the user's own dependency-cruiser rules. Cheap, so it runs in full on
 * every check (only extraction is cached).
 */
export function analyze(model: ApplicationModules, extraction: Extraction, context: AnalyzeContext): BoundaryViolation[] {
  const { violations, edges } = classifyImports(model, extraction.files, context);
  const foreign = extraction.foreignViolations.map(
    (v): BoundaryViolation => ({
      rule: v.rule,
      severity: v.severity,
      from: v.from,
      to: v.to,
      fromModule: model.moduleOf(v.from)?.name ?? null,
      toModule: model.moduleOf(v.to)?.name ?? null,
      message: `${v.from} -> ${v.to} breaks rule '${v.rule}' of ${context.configFile ?? 'the dependency-cruiser configuration'}`,
      fix: `see the rule's "comment" in ${context.configFile ?? 'the configuration'}`,
    }),
  );
  const all = [
    ...dedupe(violations),
    ...mergeCycles(model, moduleCycles(edges), declaredCycles(model, context.readFile)),
    ...unusedDependencies(model, edges, context.readFile),
    ...orphanFiles(model, extraction.files),
    ...foreign,
  ];
  return all.sort(compareViolations);
}

/** Two specifiers naming the same file (`./x` and `./x.js`) are one violation: keep the first line. */
function dedupe(violations: BoundaryViolation[]): BoundaryViolation[] {
  const seen = new Map<string, BoundaryViolation>();
  for (const v of violations) {
    const key = `${v.rule}|${v.from}|${v.to}`;
    const known = seen.get(key);
    if (!known || (v.line ?? Infinity) < (known.line ?? Infinity)) seen.set(key, v);
  }
  return [...seen.values()];
}
