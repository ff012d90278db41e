import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApplicationModules, type ApplicationModules, type Violation } from '../core/index.js';
import { analyze } from './analyze/analyze.js';
import { compareViolations, type BoundaryViolation } from './analyze/boundary-violation.js';
import { applyBaseline, DEFAULT_BASELINE, readBaseline, type BaselineEntry } from './baseline/baseline.js';
import { loadCheckConfig } from './config/load-config.js';
import { extract } from './extract/extract.js';
import { describeRule, RULES, type RuleDescription } from './rules.js';

/** Something else that finds violations in the same model (e.g. symbol-level leak detection); its results join the check's, baseline included. */
export interface CheckPlugin {
  name: string;
  /** Descriptions of the rule ids it reports. */
  rules?: RuleDescription[];
  run(model: ApplicationModules, context: { rootDir: string; tsConfig: string | undefined }): Violation[] | Promise<Violation[]>;
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

  progress('loading configuration');
  const config = await loadCheckConfig(rootDir, { tsConfig: options.tsConfig, onWarning: options.onWarning });
  // A project with no module yet (a fresh app) checks clean rather than failing on its missing root.
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
  const baselineFile = options.baseline === false ? undefined : (options.baseline ?? (lstatSync(join(rootDir, DEFAULT_BASELINE), { throwIfNoEntry: false }) ? DEFAULT_BASELINE : undefined));
  const baseline = baselineFile ? readBaseline(rootDir, baselineFile, options.baseline !== undefined) : undefined;

  const extraction = await extract(config, { cache: options.cache, cacheFile: options.cacheFile, onProgress: progress });
  progress('analyzing');
  const readFile = (path: string): string | undefined => {
    try {
      return readFileSync(join(rootDir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const found = analyze(model, extraction, { packageName: packageName(rootDir), pathAliases: config.options.pathAliases, imports: config.options.imports, readFile, configFile: config.file });
  for (const plugin of options.plugins ?? []) {
    progress(plugin.name);
    const extra = await plugin.run(model, { rootDir, tsConfig: config.options.tsConfig });
    // One problem, one report: a plugin finding what the import analysis already reported for the
    // same statement (a re-export of internals seen at file and at symbol level) adds nothing.
    found.push(...extra.filter((v) => !found.some((f) => f.rule === v.rule && f.from === v.from && (f.to === v.to || (v.line !== undefined && f.line === v.line)))));
  }
  found.sort(compareViolations);

  const outcome = applyBaseline(found, baseline);
  const failing = outcome.violations.some((v) => v.severity === 'error') || outcome.stale.length > 0;
  const described = new Map<string, RuleDescription>([...RULES, ...(options.plugins ?? []).flatMap((p) => p.rules ?? [])].map((r) => [r.id, r]));
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
    stats: { files: extraction.stats.files, modules: model.modules.length, extracted: extraction.stats.extracted, cache: extraction.stats.cache, durationMs: Date.now() - started },
  };
}

function packageName(rootDir: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined; // a broken package.json is reported by the model loader
  }
}
