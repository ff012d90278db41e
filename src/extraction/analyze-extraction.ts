import { loadCheckConfig, runCheck, type CheckPlugin } from '../boundaries/index.js';
import { loadApplicationModules, type ApplicationModule, type ApplicationModules } from '../core/index.js';
import { CodeBase } from './code-base.js';
import { codeDependencies } from './code-dependencies.js';
import { analyzeEvents, findEventFlows } from './event-flows.js';
import type { ExtractedConfig, ExtractionReport, FacadeContract, Finding } from './extraction-report.js';
import { checkFacadeContract, findFacades, type FacadeClass } from './facade-contracts.js';
import { assessReadiness } from './readiness.js';
import { findFacadeUses } from './remote-calls.js';
import { analyzeTables, findEntities } from './shared-tables.js';
import { WireTypes } from './wire-types.js';

export interface ExtractionOptions {
  /** Project root; default the current directory. */
  rootDir?: string;
  /** The module to extract. */
  module: string;
  /** Plugins for the boundary check (the CLI passes symbol-level leak detection). */
  plugins?: CheckPlugin[];
  /** false: the boundary check runs without its cache. */
  cache?: boolean;
  onProgress?: (message: string) => void;
}

/** The module named for extraction does not exist; `known` lists the modules that do. */
export class UnknownModuleError extends Error {
  constructor(
    readonly module: string,
    readonly known: string[],
  ) {
    super(`no module named '${module}' (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownModuleError';
  }
}

/**
 * The readiness report of one module: configuration -> model -> boundary check -> one program
 * over every module's code -> facades, calls, tables, events, dependencies -> judgement. Throws
 * UnknownModuleError for a module that does not exist, and the check's configuration errors
 * (CheckConfigError / ModuleModelError) when the project's configuration is broken.
 */
export async function analyzeExtraction(options: ExtractionOptions): Promise<ExtractionReport> {
  const rootDir = options.rootDir ?? process.cwd();
  const progress = options.onProgress ?? (() => undefined);
  progress('loading configuration');
  const config = await loadCheckConfig(rootDir);
  // A project with no module yet (a fresh app) checks clean rather than failing on its missing root.
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true });
  const module = model.get(options.module);
  if (!module) throw new UnknownModuleError(options.module, model.names);

  const check = await runCheck({ rootDir, cache: options.cache, plugins: options.plugins, onProgress: progress });

  progress('reading the code');
  const code = CodeBase.load(model, { tsconfig: config.options.tsConfig });
  const wire = new WireTypes(code);
  const findings: Finding[] = [];

  progress('facades');
  const allFacades: FacadeClass[] = [];
  for (const m of model.modules) {
    const found = findFacades(code, m);
    allFacades.push(...found.facades);
    if (m.name === module.name) findings.push(...found.findings);
  }
  const facades: FacadeContract[] = [];
  for (const facade of allFacades.filter((f) => f.module === module.name)) {
    const checked = checkFacadeContract(code, wire, facade);
    facades.push(checked.contract);
    findings.push(...checked.findings);
  }
  const uses = findFacadeUses(code, allFacades);
  const remoteCalls = uses.filter((u) => u.caller === module.name && !model.get(u.module)?.shared);
  // The facades it calls will be served by the monolith over the broker: their contracts must travel too.
  for (const use of remoteCalls) {
    const facade = allFacades.find((f) => f.module === use.module && f.name === use.facade);
    if (facade) findings.push(...checkFacadeContract(code, wire, facade, module.name).findings);
  }

  progress('tables and events');
  const tables = analyzeTables(code, module, findEntities(code));
  findings.push(...tables.findings);
  const flows = findEventFlows(code);

  const report = assessReadiness({
    model,
    module,
    facades,
    remoteCalls,
    callers: uses.filter((u) => u.module === module.name),
    tables: tables.tables,
    foreignTables: tables.foreignTables,
    events: analyzeEvents(module, flows),
    codeDependencies: codeDependencies(code, module, flows),
    findings,
    check: { found: check.found, reported: check.violations },
  });
  return { ...report, config: extractedConfig(model, module) };
}

/** The variables `module` declares (they move to its service) and those the other modules declare (the monolith keeps them). */
export function extractedConfig(model: ApplicationModules, module: ApplicationModule): ExtractedConfig {
  const keeps = new Map<string, { name: string; required: boolean; secret: boolean; modules: string[] }>();
  for (const other of model.modules) {
    if (other.name === module.name) continue;
    for (const variable of other.config) {
      const entry = keeps.get(variable.name) ?? { name: variable.name, required: false, secret: false, modules: [] };
      entry.required ||= variable.required;
      entry.secret ||= variable.secret;
      entry.modules.push(other.name);
      keeps.set(variable.name, entry);
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    variables: [...module.config].sort(byName),
    monolithKeeps: [...keeps.values()].map((k) => ({ ...k, modules: [...k.modules].sort() })).sort(byName),
  };
}
