import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApplicationModules, type ApplicationModules, type Violation } from '../core/index.js';
import { analyze } from './analyze/analyze.js';
import { compareViolations, type BoundaryViolation } from './analyze/boundary-violation.js';
import { applyBaseline, DEFAULT_BASELINE, readBaseline, type Baseline, type BaselineEntry } from './baseline/baseline.js';
import { loadCheckConfig, type CheckConfig } from './config/load-config.js';
import type { Extraction } from './extract/extracted.js';
import { extract } from './extract/extract.js';
import { defaultCacheDir } from './extract/extraction-cache.js';
import { describeRule, RULES, type RuleDescription } from './rules.js';

/** Something else that finds violations in the same model (e.g. symbol-level leak detection); its results join the check's, baseline included. */
export interface CheckPlugin {
  name: string;
  /** Descriptions of the rule ids it reports. */
  rules?: RuleDescription[];
  run(model: ApplicationModules, context: CheckPluginContext): Violation[] | Promise<Violation[]>;
  /** Loads the plugin's tools (and prepares its state) ahead of time: watch mode calls it once, after the first check, with that check's input. */
  warmUp?(model: ApplicationModules, context: CheckPluginContext): Promise<void>;
}

export interface CheckPluginContext {
  rootDir: string;
  tsConfig: string | undefined;
  /** Every scanned file with its content hash and resolved dependencies: what the plugin can key a cache on. */
  files: ReadonlyArray<{ path: string; hash: string; dependencies: ReadonlyArray<{ specifier: string; resolved: string; couldNotResolve: boolean }> }>;
  /** A folder for the plugin's cache files, or undefined when caching is off (`--no-cache`). */
  cacheDir: string | undefined;
}

export interface CheckOptions {
  /** Project root; default the current directory. */
  rootDir?: string;
  /** Baseline file: a path (must exist), false for none, default modulith-baseline.json when present. */
  baseline?: string | false;
  /** false: no extraction cache. */
  cache?: boolean;
  cacheFile?: string;
  plugins?: CheckPlugin[];
  onProgress?: (message: string) => void;
  /** tsconfig resolving imports (`--tsconfig`), project-relative; default tsconfig.json, else tsconfig.base.json. */
  tsConfig?: string;
  /** Told what makes the check half-blind without failing it (path aliases in a tsconfig it did not find). */
  onWarning?: (message: string) => void;
}

export interface CheckResult {
  rootDir: string;
  /** Violations the baseline does not suppress, sorted. */
  violations: BoundaryViolation[];
  /** Every violation found, baseline or not (what `modulith baseline` records). */
  found: BoundaryViolation[];
  known: number;
  stale: BaselineEntry[];
  baselineFile: string | undefined;
  /** 0 clean (warnings allowed), 1 when any error violation or stale baseline entry remains. */
  exitCode: 0 | 1;
  /** Descriptions of every rule that can appear, for reporters (SARIF lists them). */
  rules: RuleDescription[];
  stats: { files: number; modules: number; extracted: number; cache: 'off' | 'cold' | 'warm'; durationMs: number };
}

/**
 * `modulith check` as a function: config -> model -> extract -> analyze -> baseline. Throws
 * CheckConfigError / ModuleModelError (exit 2) when the project's configuration is broken.
 */
export async function runCheck(options: CheckOptions = {}): Promise<CheckResult> {
  const started = Date.now();
  const rootDir = options.rootDir ?? process.cwd();
  const progress = options.onProgress ?? (() => undefined);

  const { config, model, baselineFile, baseline } = await prepareCheck(rootDir, options, progress);
  const extraction = await extract(config, { cache: options.cache, cacheFile: options.cacheFile, onProgress: progress });
  return finishCheck({ rootDir, config, model, extraction, baselineFile, baseline, plugins: options.plugins ?? [], cacheDir: options.cache === false ? undefined : defaultCacheDir(rootDir), progress, started });
}

/** What a check reads before extracting: configuration, module model, baseline (the watch engine reads them again when they change). */
export async function prepareCheck(
  rootDir: string,
  options: CheckOptions,
  progress: (message: string) => void,
): Promise<{ config: CheckConfig; model: ApplicationModules; baselineFile: string | undefined; baseline: Baseline | undefined }> {
  progress('loading configuration');
  const config = await loadCheckConfig(rootDir, { tsConfig: options.tsConfig, onWarning: options.onWarning });
  // A project with no module yet (a fresh app) checks clean rather than failing on its missing root.
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
  const baselineFile = options.baseline === false ? undefined : (options.baseline ?? (lstatSync(join(rootDir, DEFAULT_BASELINE), { throwIfNoEntry: false }) ? DEFAULT_BASELINE : undefined));
  const baseline = baselineFile ? readBaseline(rootDir, baselineFile, options.baseline !== undefined) : undefined;
  return { config, model, baselineFile, baseline };
}

/** The stages after extraction, shared by `runCheck` and the watch engine: analyze, plugins, baseline. */
export async function finishCheck(input: {
  rootDir: string;
  config: CheckConfig;
  model: ApplicationModules;
  extraction: Extraction;
  baselineFile: string | undefined;
  baseline: Baseline | undefined;
  plugins: readonly CheckPlugin[];
  cacheDir: string | undefined;
  progress: (message: string) => void;
  started: number;
}): Promise<CheckResult> {
  const { rootDir, config, model, extraction, baseline, baselineFile, plugins, progress } = input;
  progress('analyzing');
  const readFile = (path: string): string | undefined => {
    try {
      return readFileSync(join(rootDir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const found = analyze(model, extraction, { packageName: packageName(rootDir), pathAliases: config.options.pathAliases, imports: config.options.imports, readFile, configFile: config.file });
  for (const plugin of plugins) {
    progress(plugin.name);
    const extra = await plugin.run(model, pluginContext(input));
    // One problem, one report: a plugin finding what the import analysis already reported for the
    // same statement (a re-export of internals seen at file and at symbol level) adds nothing.
    found.push(...extra.filter((v) => !found.some((f) => f.rule === v.rule && f.from === v.from && (f.to === v.to || (v.line !== undefined && f.line === v.line)))));
  }
  found.sort(compareViolations);

  const outcome = applyBaseline(found, baseline);
  const failing = outcome.violations.some((v) => v.severity === 'error') || outcome.stale.length > 0;
  const described = new Map<string, RuleDescription>([...RULES, ...plugins.flatMap((p) => p.rules ?? [])].map((r) => [r.id, r]));
  for (const v of found) if (!described.has(v.rule)) described.set(v.rule, describeRule(v.rule));
  return {
    rootDir,
    violations: outcome.violations,
    found,
    known: outcome.known,
    stale: outcome.stale,
    baselineFile,
    exitCode: failing ? 1 : 0,
    rules: [...described.values()],
    stats: { files: extraction.stats.files, modules: model.modules.length, extracted: extraction.stats.extracted, cache: extraction.stats.cache, durationMs: Date.now() - input.started },
  };
}

/** What plugins are told about a check. */
export function pluginContext(input: { rootDir: string; config: CheckConfig; extraction: Extraction; cacheDir: string | undefined }): CheckPluginContext {
  return { rootDir: input.rootDir, tsConfig: input.config.options.tsConfig, files: input.extraction.files, cacheDir: input.cacheDir };
}

function packageName(rootDir: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined; // a broken package.json is reported by the model loader
  }
}
