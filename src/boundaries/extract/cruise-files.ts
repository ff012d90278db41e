import type { ICruiseOptions, ICruiseResult, IFlattenedRuleSet } from 'dependency-cruiser';
import { CheckConfigError } from '../config/check-config-error.js';
import { cruiseTsConfig } from '../config/cruise-tsconfig.js';
import { firstLine } from '../config/load-config.js';
import type { ExtractedDependency, ForeignViolation } from './extracted.js';

export interface CruiseInput {
  rootDir: string;
  /** The config file's dependency-cruiser options. */
  cruiseOptions: ICruiseOptions;
  /** Project-relative tsconfig, if any. */
  tsConfig: string | undefined;
  /** The user's own rules, validated by dependency-cruiser alongside the extraction. */
  extraRules: IFlattenedRuleSet | undefined;
  /** Which file to blame when dependency-cruiser rejects the options or rules. */
  configFile: string;
}

export interface CruiseOutput {
  dependencies: Map<string, Omit<ExtractedDependency, 'line'>[]>;
  foreignViolations: ForeignViolation[];
}

/**
 * Runs dependency-cruiser over exactly `files` (each file's own dependencies are resolved, none is
 * followed further), so a warm run can re-extract just the changed files and get
 * the same answer a full run would. dependency-cruiser and TypeScript are imported here, lazily:
 * a warm run with nothing changed never loads them.
 */
export async function cruiseFiles(files: readonly string[], input: CruiseInput): Promise<CruiseOutput> {
  const dependencies = new Map<string, Omit<ExtractedDependency, 'line'>[]>();
  if (files.length === 0) return { dependencies, foreignViolations: [] };
  const { cruise } = await import('dependency-cruiser');
  const tsConfig = input.tsConfig ? await cruiseTsConfig(input.rootDir, input.tsConfig) : undefined;

  const options: ICruiseOptions = {
    ...withoutReporting(input.cruiseOptions),
    baseDir: input.rootDir,
    // Follow nothing: every file to extract is listed. (Not maxDepth 1: a listed file first met as
    // another's dependency would be marked visited at depth 1 and never extracted.)
    doNotFollow: { path: '^' },
    tsPreCompilationDeps: true,
    validate: input.extraRules !== undefined,
    ...(input.extraRules ? { ruleSet: input.extraRules } : {}),
    ...(tsConfig ? { tsConfig: { fileName: tsConfig.fileName } } : {}),
  };
  let result: ICruiseResult;
  try {
    result = (await cruise([...files], options, undefined, tsConfig ? { tsConfig: tsConfig.parsed } : undefined)).output as ICruiseResult;
  } catch (error) {
    const message = firstLine(error);
    if (/configuration is not valid|unsafe regular expression|options/i.test(message)) {
      throw new CheckConfigError([{ file: input.configFile, message: `is rejected by dependency-cruiser: ${message}`, fix: 'correct the rule or option it names' }]);
    }
    throw error;
  }

  const wanted = new Set(files);
  for (const module of result.modules) {
    if (!wanted.has(module.source)) continue;
    // A listed file that is also another listed file's (or its own: `import('./self.js')`)
    // unfollowed dependency appears twice: skip that dependency-only stub, whatever the order.
    if ('matchesDoNotFollow' in module && dependencies.has(module.source)) continue;
    dependencies.set(
      module.source,
      module.dependencies.map((d) => ({
        specifier: d.module,
        resolved: d.resolved,
        kinds: [...d.dependencyTypes],
        couldNotResolve: d.couldNotResolve,
        ...(d.exoticRequire ? { exoticRequire: d.exoticRequire } : {}),
      })),
    );
  }
  const foreignViolations = (result.summary.violations ?? []).map((v) => ({
    rule: v.rule.name,
    severity: v.rule.severity === 'error' ? ('error' as const) : ('warn' as const),
    from: v.from,
    to: v.to,
  }));
  return { dependencies, foreignViolations };
}

/** Options that shape reports or caching are the check's business, not the extraction's. */
function withoutReporting(options: ICruiseOptions): ICruiseOptions {
  const { cache, progress, outputType, outputTo, reporterOptions, focus, reaches, highlight, collapse, affected, metrics, ruleSet, validate, ...rest } =
    options as ICruiseOptions & { outputTo?: unknown };
  void [cache, progress, outputType, outputTo, reporterOptions, focus, reaches, highlight, collapse, affected, metrics, ruleSet, validate];
  return rest;
}
