import { existsSync, realpathSync } from 'node:fs';
import { computeAffected, eventEdges, recordedContracts } from '../affected/index.js';
import { buildContext, renderContext } from '../agents/index.js';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ChangesError, defaultCacheDir, loadCheckConfig, runChangedCheck, runCheck, type ChangeSummary, type CheckPlugin } from '../boundaries/index.js';
import { isModuleName, loadApplicationModules, MODULE_NAME_MAX_LENGTH, type ApplicationModules, type Violation } from '../core/index.js';
import { contractStatuses, loadContracts } from '../contracts/index.js';

/**
 * The MCP tools as plain functions of the project folder (no SDK here): each returns what the
 * tool answers, or throws McpToolError with a message written for the agent. The model is read
 * afresh on every call, since the agent edits the project between calls.
 */
export class McpToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpToolError';
  }
}

/** What the tools need besides the project folder: the check plugins (leaks, contracts) the CLI runs. */
export interface McpToolOptions {
  rootDir: string;
  /** A fresh set of check plugins per run, as `modulith check` uses them. */
  checkPlugins?: () => CheckPlugin[];
  /** The brief for a module; default: `modulith context NAME` (src/agents). */
  moduleBrief?: (rootDir: string, name: string) => Promise<string> | string;
  /** Cache folder for the contracts (default: the check's cache folder). */
  contractsCacheFile?: string;
  onWarning?: (message: string) => void;
}

const MAX_PATH_LENGTH = 4096;
const MAX_FILES = 1000;

export interface ModuleSummary {
  name: string;
  description: string | null;
  dir: string;
  publicEntry: string | null;
  dependsOn: string[];
  shared: boolean;
  dependents: string[];
  owners: string[];
}

async function loadModel(rootDir: string, onWarning?: (message: string) => void): Promise<{ model: ApplicationModules; tsConfig: string | undefined }> {
  const config = await loadCheckConfig(rootDir, { ...(onWarning ? { onWarning } : {}) });
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
  return { model, tsConfig: config.options.tsConfig };
}

/** `list_modules`: every module with what it is, what it uses and who uses it. */
export async function listModules(options: McpToolOptions): Promise<{ roots: string[]; modules: ModuleSummary[] }> {
  const { model } = await loadModel(options.rootDir, options.onWarning);
  return {
    roots: [...model.roots],
    modules: model.modules.map((m) => ({
      name: m.name,
      description: m.description ?? null,
      dir: m.dir,
      publicEntry: m.entry ?? null,
      dependsOn: [...m.dependsOn],
      shared: m.shared,
      dependents: model.dependentsOf(m.name).map((d) => d.name),
      owners: [...m.owners],
    })),
  };
}

/** A module name from an agent: well-formed and known, or McpToolError listing the known ones. */
export function requireModule(model: ApplicationModules, name: unknown) {
  if (typeof name !== 'string' || name.length === 0) throw new McpToolError('name: give a module name (call list_modules for them)');
  const shown = name.length > MODULE_NAME_MAX_LENGTH ? `${JSON.stringify(name.slice(0, MODULE_NAME_MAX_LENGTH))}…` : JSON.stringify(name);
  const module = isModuleName(name) ? model.get(name) : undefined;
  if (!module) throw new McpToolError(`no module named ${shown}; known modules: ${model.names.join(', ') || 'none'}`);
  return module;
}

/** `module_context`: the brief for working on a module (Markdown). */
export async function moduleContext(options: McpToolOptions, name: unknown): Promise<string> {
  const { model } = await loadModel(options.rootDir, options.onWarning);
  const module = requireModule(model, name);
  if (options.moduleBrief) return options.moduleBrief(options.rootDir, module.name);
  return renderContext(await buildContext(options.rootDir, module.name, { roots: [...model.roots] }));
}

/**
 * A path from an agent, as a project-relative path with `/`: relative to the project or
 * absolute inside it. Anything outside the project (`..`, another absolute path, a link out of
 * it) is refused with McpToolError.
 */
export function projectPath(rootDir: string, path: unknown): string {
  if (typeof path !== 'string' || path.trim() === '') throw new McpToolError('path: give a file path, relative to the project root or absolute inside it');
  if (path.length > MAX_PATH_LENGTH) throw new McpToolError(`path: longer than ${MAX_PATH_LENGTH} characters`);
  if (path.includes('\0')) throw new McpToolError('path: contains a NUL character');
  const root = resolve(rootDir);
  const absolute = resolve(root, path);
  const outside = (p: string, base: string) => {
    const rel = relative(base, p);
    return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  if (outside(absolute, root)) throw new McpToolError(`path '${shorten(path)}' is outside the project (${root}); give a path inside it`);
  if (existsSync(absolute)) {
    try {
      const realRoot = realpathSync(root);
      if (outside(realpathSync(absolute), realRoot)) throw new McpToolError(`path '${shorten(path)}' leads outside the project through a symbolic link`);
    } catch (error) {
      if (error instanceof McpToolError) throw error;
    }
  }
  return relative(root, absolute).split(sep).join('/');
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** `which_module`: the module that owns a file (or the app shell), and how to use that module from elsewhere. */
export async function whichModule(options: McpToolOptions, path: unknown) {
  const file = projectPath(options.rootDir, path);
  const { model } = await loadModel(options.rootDir, options.onWarning);
  const module = model.moduleOf(file);
  const exists = existsSync(join(options.rootDir, file));
  if (!module) {
    return {
      path: file,
      exists,
      module: null,
      appShell: true,
      note: 'This file belongs to no module: it is the app shell (bootstrap, app module, configuration). It may import any module, but only through its public API.',
    };
  }
  return {
    path: file,
    exists,
    module: module.name,
    appShell: false,
    description: module.description ?? null,
    dir: module.dir,
    publicEntry: module.entry ?? null,
    isPublicEntry: module.isPublicEntry(file),
    dependsOn: [...module.dependsOn],
    shared: module.shared,
    note: module.entry
      ? `Other modules must import '${module.name}' only through ${module.entry}; files inside ${module.dir}/ are its internals.`
      : `Module '${module.name}' has no public API file (index.ts) yet: other modules cannot use it.`,
  };
}

export interface CheckToolResult {
  ok: boolean;
  summary: string;
  /** Only the given files' violations when files were given. */
  violations: Array<Pick<Violation, 'rule' | 'severity' | 'from' | 'to' | 'fromModule' | 'toModule' | 'message' | 'fix' | 'line' | 'changes' | 'diff'>>;
  filteredTo?: string[];
  stats: { files: number; modules: number; durationMs: number };
}

/** `check`: the boundary check of the whole project (as `modulith check`), optionally only the violations in `files`. */
export async function checkTool(options: McpToolOptions, files?: unknown): Promise<CheckToolResult> {
  let only: Set<string> | undefined;
  if (files !== undefined && files !== null) {
    if (!Array.isArray(files)) throw new McpToolError('files: give a list of file paths');
    if (files.length > MAX_FILES) throw new McpToolError(`files: at most ${MAX_FILES} paths`);
    if (files.length > 0) only = new Set(files.map((f) => projectPath(options.rootDir, f)));
  }
  const result = await runCheck({
    rootDir: options.rootDir,
    cache: true,
    plugins: options.checkPlugins?.() ?? [],
    onWarning: (message) => options.onWarning?.(message),
  });
  const all = result.violations as Violation[];
  const selected = only ? all.filter((v) => only!.has(v.from) || [...only!].some((f) => v.from.startsWith(`${f}/`))) : all;
  const violations = selected.map((v) => toolViolation(v));
  const errors = violations.filter((v) => v.severity === 'error').length;
  const warnings = violations.length - errors;
  const scope = only ? ` in ${only.size} file${only.size === 1 ? '' : 's'} (${all.length} in the whole project)` : '';
  const stale = !only && result.stale.length ? `; ${result.stale.length} stale baseline entr${result.stale.length === 1 ? 'y' : 'ies'} (run \`npx modulith baseline\`)` : '';
  return {
    ok: errors === 0 && (only !== undefined || result.stale.length === 0),
    summary: violations.length === 0 ? `no boundary violations${scope}${stale}` : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${scope}${stale}`,
    violations,
    ...(only ? { filteredTo: [...only] } : {}),
    stats: { files: result.stats.files, modules: result.stats.modules, durationMs: result.stats.durationMs },
  };
}

/** `contract_diff`: each module's contract computed from the code against its committed module.api.md. */
export async function contractDiff(options: McpToolOptions, name?: unknown) {
  const { model, tsConfig } = await loadModel(options.rootDir, options.onWarning);
  const wanted = name === undefined || name === null || name === '' ? undefined : requireModule(model, name).name;
  const eligible = model.modules.filter((m) => m.entry !== undefined && /\.(ts|mts|cts|tsx)$/.test(m.entry)).map((m) => m.name);
  if (wanted && !eligible.includes(wanted)) {
    return { ok: true, summary: `module '${wanted}' has no TypeScript public API (index.ts), so no contract`, modules: [] };
  }
  const modules = wanted ? [wanted] : eligible;
  if (modules.length === 0) return { ok: true, summary: 'no modules with a TypeScript index.ts, so no contract', modules: [] };
  const loaded = await loadContracts(model, {
    ...(tsConfig ? { tsConfig } : {}),
    cacheFile: options.contractsCacheFile ?? join(defaultCacheDir(options.rootDir), 'contracts.json'),
    ...(modules.length < model.modules.length ? { modules } : {}),
  });
  const statuses = contractStatuses(options.rootDir, model, loaded.contracts).filter((s) => modules.includes(s.module));
  const differing = statuses.filter((s) => s.status !== 'same');
  const missing = differing.filter((s) => s.status === 'missing').map((s) => s.module);
  const breaking = differing.filter((s) => s.changes.some((c) => c.kind === 'breaking')).map((s) => s.module);
  return {
    ok: differing.length === 0,
    summary:
      differing.length === 0
        ? `${statuses.length} module contract${statuses.length === 1 ? '' : 's'} match${statuses.length === 1 ? 'es' : ''} the committed module.api.md`
        : `${differing.length} of ${statuses.length} module contracts differ from module.api.md${missing.length ? ` (no module.api.md yet: ${missing.join(', ')})` : ''}${breaking.length ? `; breaking: ${breaking.join(', ')} (their dependents' owners should review)` : differing.length > missing.length ? '; compatible changes only' : ''}. Run \`npx modulith contracts\` to record them.`,
    modules: statuses.map((s) => ({
      module: s.module,
      file: s.file,
      status: s.status,
      breaking: s.changes.some((c) => c.kind === 'breaking'),
      changes: s.changes.map((c) => ({ kind: c.kind, section: c.section, member: c.member, what: c.what })),
      diff: s.diff,
      dependents: model.dependentsOf(s.module).map((d) => d.name),
    })),
  };
}

/**
 * `affected`: what the working tree (and, with `since`, the commits since its merge base with
 * HEAD) changed, as `modulith check --changed [--since REF]` summarizes it: the modules touched,
 * whether each one's contract moved and which dependents that reaches, the app-shell files, and
 * the violations in the changed files only.
 */
export async function affected(
  options: McpToolOptions,
  since?: unknown,
): Promise<{ ok: boolean; summary: string; changed: ChangeSummary; affected: string[]; reasons: Record<string, string>; violations: CheckToolResult['violations'] }> {
  if (since !== undefined && since !== null && typeof since !== 'string') throw new McpToolError('since: give a git revision (a branch, tag or commit), or omit it for the working tree');
  let scoped: Awaited<ReturnType<typeof runChangedCheck>>;
  try {
    scoped = await runChangedCheck({
      rootDir: options.rootDir,
      cache: true,
      plugins: options.checkPlugins?.() ?? [],
      onWarning: (message) => options.onWarning?.(message),
      ...(typeof since === 'string' && since !== '' ? { since } : {}),
    });
  } catch (error) {
    if (error instanceof ChangesError) throw new McpToolError(error.message);
    throw error;
  }
  const { changed } = scoped;
  // The modules to re-test, as `modulith affected` decides them (without recomputing contracts: the check has).
  const { model } = await loadModel(options.rootDir, options.onWarning);
  const reach = computeAffected({
    model,
    files: changed.files,
    contracts: Object.fromEntries(changed.modules.map((m) => [m.name, m.contract])),
    events: eventEdges(recordedContracts(options.rootDir, model)),
    base: changed.base,
  });
  const moved = changed.modules.filter((m) => m.contract !== 'unchanged');
  const errors = scoped.violations.filter((v) => v.severity === 'error').length;
  const parts = [
    `${changed.files.length} changed file${changed.files.length === 1 ? '' : 's'} in ${changed.modules.length} module${changed.modules.length === 1 ? '' : 's'}${changed.shell.length ? ` and ${changed.shell.length} outside modules` : ''}`,
    moved.length ? `contract changed: ${moved.map((m) => `${m.name} (${m.contract}${m.dependents.length ? `, reaches ${m.dependents.join(', ')}` : ''})`).join('; ')}` : 'no contract changed',
    `${errors} error${errors === 1 ? '' : 's'} in the changed files`,
    reach.affected.length ? `re-test ${reach.affected.join(', ')} (\`modulith test --affected\`)` : 'no module to re-test',
  ];
  return {
    ok: scoped.exitCode === 0,
    summary: parts.join('; '),
    changed,
    affected: reach.affected,
    reasons: reach.reasons,
    violations: scoped.violations.map((v) => toolViolation(v, { diff: false })),
  };
}

/** A violation as the MCP tools return it (the same fields for `check` and `affected`; `affected` leaves out the contract diff). */
function toolViolation(v: Violation, options: { diff?: boolean } = {}) {
  return {
    rule: v.rule,
    severity: v.severity,
    from: v.from,
    ...(v.line !== undefined ? { line: v.line } : {}),
    to: v.to,
    fromModule: v.fromModule,
    toModule: v.toModule,
    message: v.message,
    fix: v.fix,
    ...(v.changes ? { changes: v.changes } : {}),
    ...(options.diff !== false && v.diff ? { diff: v.diff } : {}),
  };
}
