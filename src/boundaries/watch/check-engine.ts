import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { readProjectConfig, type ApplicationModules } from '../../core/index.js';
import type { BoundaryViolation } from '../analyze/boundary-violation.js';
import type { Baseline } from '../baseline/baseline.js';
import { finishCheck, pluginContext, prepareCheck, type CheckOptions, type CheckResult } from '../check.js';
import { isConfigurationError } from '../config/check-config-error.js';
import { CONFIG_FILES, type CheckConfig } from '../config/load-config.js';
import { extractIncrementally, extractionKey, type ExtractionDelta, type ExtractionState } from '../extract/extract.js';
import type { Extraction } from '../extract/extracted.js';
import { contentHash, defaultCacheDir, defaultCacheFile, readCache, writeCache } from '../extract/extraction-cache.js';
import { loadTypeScript } from '../extract/load-typescript.js';

export type CheckEngineOptions = Omit<CheckOptions, 'onProgress'>;

/** One check of a watch session. */
export interface EngineRun {
  /** The check's result, when it ran. */
  result?: CheckResult;
  /** Why it could not run (a broken module.json, config file or tsconfig: the error to print); the previous model is kept. */
  error?: unknown;
  /**
   * Set when the configuration changed in a way this process cannot read again: a JavaScript
   * `.dependency-cruiser.js` is imported once per process (Node caches ES modules), and so are the
   * package.json and tsconfig it read. The caller starts a new engine in a new process.
   */
  restart?: string;
  /** Violations (after the baseline) that appeared / disappeared since the previous result. */
  added: BoundaryViolation[];
  fixed: BoundaryViolation[];
  /** What the extraction saw change (undefined when it did not run). */
  changed: ExtractionDelta | undefined;
  /** Configuration or module.json files that changed (project-relative). */
  configChanged: string[];
  durationMs: number;
}

interface Prepared {
  config: CheckConfig;
  model: ApplicationModules;
  baselineFile: string | undefined;
  baseline: Baseline | undefined;
}

/**
 * The check kept in memory between runs: configuration, module model, every file's extraction
 * and the plugins' own state (a plugin instance is reused: the leak plugin keeps its parsed
 * files). `check()` re-reads only what changed — stat() of every scanned file, the files whose
 * size or mtime moved, dependency-cruiser for files whose imports changed or could now resolve
 * differently — and re-loads the model when a module.json changed. Results are those of a cold
 * `runCheck` (test/boundaries/incremental.spec.ts). Used by `modulith check --watch`; usable by
 * anything that wants fresh violations after each edit (an agent's tool, an editor).
 */
export class CheckEngine {
  readonly rootDir: string;
  private prepared: Prepared | undefined;
  private state: ExtractionState | undefined;
  private previous: CheckResult | undefined;
  private stamps: Map<string, string> | undefined;
  /** The JavaScript config failed to load: Node keeps that failed import, so only a new process can try again. */
  private tainted = false;
  /** The configuration loaded once in this process. */
  private imported = false;
  private stateLoaded = false;
  private dirtyState = false;
  private lastExtraction: Extraction | undefined;

  constructor(private readonly options: CheckEngineOptions = {}) {
    this.rootDir = resolve(options.rootDir ?? process.cwd());
  }

  /** The latest successful result. */
  get result(): CheckResult | undefined {
    return this.previous;
  }

  /** What to watch: the scanned folders and modules roots (minus excluded paths), the configuration files (project-relative). */
  watchTargets(): { folders: string[]; files: string[]; exclude: string[] } {
    const config = this.prepared?.config;
    // Before a configuration loaded (it may be what is broken), the modules roots package.json names.
    const folders = config ? [...new Set([...config.options.scan, ...config.options.roots])] : this.roots();
    return { folders, files: [...this.configFiles()].map((f) => relative(this.rootDir, f).split('\\').join('/')), exclude: config?.options.exclude ?? [] };
  }

  /** Checks the project as it is now, reusing everything that did not change since the previous call. */
  async check(): Promise<EngineRun> {
    const started = Date.now();
    const empty = { added: [], fixed: [], changed: undefined, configChanged: [] as string[] };
    if (!this.stamps && !this.prepared) {
      // First run: stamp what the loaded configuration names (its modules roots, its tsconfig chain).
      try {
        this.prepared = await this.prepare();
      } catch (error) {
        this.stamps = this.stamp();
        return { ...empty, error, durationMs: Date.now() - started };
      }
      this.stamps = this.stamp();
    }
    const stamps = this.stamp();
    const configChanged = [...new Set([...stamps.keys(), ...this.stamps!.keys()])].filter((f) => stamps.get(f) !== this.stamps!.get(f));
    const shown = configChanged.map((f) => relative(this.rootDir, f).split('\\').join('/')).sort();
    const jsConfig = CONFIG_FILES.some((f) => /\.[cm]?js$/.test(f) && existsSync(join(this.rootDir, f)));

    if (configChanged.length > 0 && jsConfig) {
      // module.json files and the baseline are read afresh on every load; the rest only by a new process.
      const baseline = this.prepared?.baselineFile ? resolve(this.rootDir, this.prepared.baselineFile) : undefined;
      const configLevel = configChanged.filter((f) => (!f.endsWith('module.json') && f !== baseline && f !== resolve(this.rootDir, 'modulith-baseline.json')) || this.tainted);
      if (configLevel.length > 0) {
        this.stamps = stamps;
        return { ...empty, configChanged: shown, restart: `${shown.join(', ')} changed`, durationMs: Date.now() - started };
      }
    }
    if (!this.prepared || configChanged.length > 0) {
      try {
        this.prepared = await this.prepare();
      } catch (error) {
        this.stamps = stamps;
        return { ...empty, configChanged: shown, error, durationMs: Date.now() - started };
      }
    }
    this.stamps = stamps;
    const { config, model, baselineFile, baseline } = this.prepared;
    try {
      this.loadState(config);
      // In memory the previous state is always reused; `cache: false` only keeps the disk out of it.
      const { extraction, state, dirty } = await extractIncrementally(config, this.state);
      this.state = state;
      this.dirtyState ||= dirty;
      this.lastExtraction = extraction;
      const result = await finishCheck({
        rootDir: this.rootDir,
        config,
        model,
        extraction,
        baselineFile,
        baseline,
        plugins: this.options.plugins ?? [],
        cacheDir: this.cacheDir(),
        progress: () => undefined,
        started,
      });
      const { added, fixed } = diffViolations(this.previous?.violations ?? [], result.violations);
      const first = this.previous === undefined;
      this.previous = result;
      return { result, added: first ? [] : added, fixed: first ? [] : fixed, changed: extraction.delta, configChanged: shown, durationMs: Date.now() - started };
    } catch (error) {
      return { ...empty, configChanged: shown, error, durationMs: Date.now() - started };
    }
  }

  /**
   * Loads what a later check may need (the TypeScript parser, dependency-cruiser, the plugins'
   * own tools), so that the first save after the start is re-checked as fast as the next ones.
   */
  async warmUp(): Promise<void> {
    try {
      await loadTypeScript();
      await import('dependency-cruiser');
      if (this.prepared && this.lastExtraction) {
        const context = pluginContext({ rootDir: this.rootDir, config: this.prepared.config, extraction: this.lastExtraction, cacheDir: this.cacheDir() });
        for (const plugin of this.options.plugins ?? []) await plugin.warmUp?.(this.prepared.model, context);
      }
    } catch {
      // a tool that cannot load fails where it is used, with its error
    }
  }

  /** Writes the extraction cache, so the next `modulith check` starts warm. */
  save(): void {
    if (this.options.cache === false || !this.state || !this.dirtyState || this.prepared?.config.extraRules) return;
    writeCache(this.options.cacheFile ?? defaultCacheFile(this.rootDir), {
      key: this.state.key,
      scannedAt: this.state.scannedAt,
      files: Object.fromEntries(this.state.files),
    });
    this.dirtyState = false;
  }

  private roots(): string[] {
    try {
      return [...readProjectConfig(this.rootDir).roots];
    } catch {
      return ['modules', 'src'];
    }
  }

  private cacheDir(): string | undefined {
    return this.options.cache === false ? undefined : defaultCacheDir(this.rootDir);
  }

  private async prepare(): Promise<Prepared> {
    try {
      const prepared = await prepareCheck(this.rootDir, this.options, () => undefined);
      this.tainted = false;
      this.imported = true;
      return prepared;
    } catch (error) {
      // A configuration error raised while importing a JavaScript config for the first time (a
      // broken module.json read by modulithRules()) stays cached with that import. Once it
      // imported, the errors come from reading the model again, which a later save can fix.
      if (!this.imported && isConfigurationError(error) && CONFIG_FILES.some((f) => /\.[cm]?js$/.test(f) && existsSync(join(this.rootDir, f)))) this.tainted = true;
      throw error;
    }
  }

  /** The disk cache of a previous `modulith check`, read once. */
  private loadState(config: CheckConfig): void {
    if (this.stateLoaded) return;
    this.stateLoaded = true;
    if (this.options.cache === false || config.extraRules) return;
    const key = extractionKey(config);
    const cached = readCache(this.options.cacheFile ?? defaultCacheFile(this.rootDir), key);
    if (cached) this.state = { key, scannedAt: cached.scannedAt, files: new Map(Object.entries(cached.files)) };
  }

  /** Configuration-level files (absolute): package.json, the tsconfig chain, the dependency-cruiser config, the baseline. */
  private configFiles(): Set<string> {
    const files = new Set<string>([join(this.rootDir, 'package.json'), ...CONFIG_FILES.map((f) => join(this.rootDir, f))]);
    for (const file of this.prepared?.config.options.tsConfigFiles ?? []) files.add(isAbsolute(file) ? file : join(this.rootDir, file));
    if (!this.prepared) {
      files.add(join(this.rootDir, 'tsconfig.json'));
      if (this.options.tsConfig) files.add(resolve(this.rootDir, this.options.tsConfig));
    }
    const baseline = this.prepared?.baselineFile ?? (this.options.baseline === false ? undefined : (this.options.baseline ?? 'modulith-baseline.json'));
    if (baseline) files.add(resolve(this.rootDir, baseline));
    return files;
  }

  /** Content stamps of the configuration files and of every module.json (absolute path -> hash, or 'missing'). */
  private stamp(): Map<string, string> {
    const stamps = new Map<string, string>();
    const read = (file: string): string => {
      try {
        return statSync(file).isFile() ? contentHash(readFileSync(file, 'utf8')) : 'not a file';
      } catch {
        return 'missing';
      }
    };
    for (const file of this.configFiles()) stamps.set(file, read(file));
    const roots = this.prepared?.config.options.roots ?? this.roots();
    for (const root of roots) {
      const dir = join(this.rootDir, root);
      let entries: string[] = [];
      try {
        entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name);
      } catch {
        // a root that does not exist yet
      }
      for (const name of entries) {
        const manifest = join(dir, name, 'module.json');
        if (existsSync(manifest) || this.stamps?.has(manifest)) stamps.set(manifest, read(manifest));
      }
    }
    return stamps;
  }
}

/** Identity of a violation across runs: not its line (an edit above it moves it). */
function identity(v: BoundaryViolation): string {
  // A cycle's message names the lines of its imports: the cycle itself identifies it.
  return [v.rule, v.severity, v.from, v.to, v.cycle ? v.cycle.join('>') : v.message].join('\u0000');
}

/** New and fixed violations between two results (a multiset difference, lines ignored). */
export function diffViolations(before: readonly BoundaryViolation[], after: readonly BoundaryViolation[]): { added: BoundaryViolation[]; fixed: BoundaryViolation[] } {
  const count = new Map<string, number>();
  for (const v of before) count.set(identity(v), (count.get(identity(v)) ?? 0) + 1);
  const added: BoundaryViolation[] = [];
  for (const v of after) {
    const n = count.get(identity(v)) ?? 0;
    if (n > 0) count.set(identity(v), n - 1);
    else added.push(v);
  }
  const remaining = new Map<string, number>();
  for (const v of after) remaining.set(identity(v), (remaining.get(identity(v)) ?? 0) + 1);
  const fixed: BoundaryViolation[] = [];
  for (const v of before) {
    const n = remaining.get(identity(v)) ?? 0;
    if (n > 0) remaining.set(identity(v), n - 1);
    else fixed.push(v);
  }
  return { added, fixed };
}
