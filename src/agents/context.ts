import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  CONTRACT_FILE,
  loadApplicationModules,
  moduleSourceFiles,
  parseContract,
  sortEntries,
  type ApplicationModule,
  type ApplicationModules,
  type ContractEntry,
  type FacadeSection,
  type ModuleContract,
} from '../core/index.js';
import { loadContracts } from '../contracts/index.js';

/** A name or a path the brief cannot be built for: the CLI prints the message and exits 2. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

export interface ContextOptions {
  /** Modules roots relative to rootDir; default: package.json#modulith.roots, else `modules`. */
  roots?: string[];
  /** Compute (with the TypeScript compiler) the contracts whose module.api.md is missing; default true. */
  compute?: boolean;
  /** At most this many file names are listed (the count is always given); default 25. */
  maxFiles?: number;
}

/** Where a contract came from: the committed module.api.md, computed from the code, or neither. */
export type ContractSource = 'module.api.md' | 'computed' | 'none';

/** The surface of another module the module may use: its published sections, never its internals. */
export interface UsableModule {
  module: string;
  /** `declared` (in dependsOn) or `shared` (a shared kernel, usable without declaring it). */
  via: 'declared' | 'shared';
  description?: string;
  /** Its public API file: the only file of it to import from. */
  entry?: string;
  /** Its module.api.md (the contract, the only other file of it worth reading). */
  contractFile: string;
  contractSource: ContractSource;
  facades: FacadeSection[];
  /** Its index.ts exports, one signature each. */
  exports: string[];
  /** Events it publishes: `name@version { payload }`. */
  publishes: string[];
}

export interface ListenableEvent {
  /** `name@version`. */
  event: string;
  /** The module that publishes it. */
  from: string;
  /** `name@version { payload }`. */
  text: string;
}

export interface Dependent {
  module: string;
  dir: string;
  /** `declared`: it depends on this module; `listens`: it listens to events this module publishes. */
  via: 'declared' | 'listens';
  /** For `listens`: the events. */
  events?: string[];
}

export interface Table {
  entity: string;
  /** The table name (@Entity({ name }) or @Entity('name')); undefined: TypeORM's default for the class. */
  table?: string;
  file: string;
}

/** The brief for an agent about to work on one module (`modulith context NAME --format json`). */
export interface ModuleContext {
  module: string;
  description?: string;
  shared: boolean;
  owners: string[];
  /** Its folder, project-relative: everything inside is its own to change. */
  dir: string;
  /** Its public API file (index.ts), if any. */
  entry?: string;
  /** Its production source files: the count, and the first `maxFiles` names (relative to dir). */
  files: { count: number; list: string[]; truncated: boolean };
  /** Its own contract: what other modules rely on. */
  contract: {
    file: string;
    source: ContractSource;
    facades: FacadeSection[];
    exports: string[];
    publishes: string[];
    listens: string[];
    routes: string[];
  };
  /** Modules it may use, with their published surface only. */
  mayUse: UsableModule[];
  /** Events published by the modules it may use. */
  mayListenTo: ListenableEvent[];
  /** Who changes to its contract reach. */
  dependents: Dependent[];
  tables: Table[];
  rules: string[];
  verify: string[];
}

/** Where a file belongs, and the brief of its module (undefined for app-shell code). */
export interface FileContext {
  file: string;
  module?: string;
  context?: ModuleContext;
  /** For a file outside every module: the rules of the app shell. */
  shellRules?: string[];
}

export const SHELL_RULES = [
  'This file is app-shell code (outside every module): main.ts, app.module.ts and the like wire the modules together.',
  "Import modules only through their public API (their index.ts), never a file inside a module's folder.",
  'Keep business logic out of the shell: it belongs in a module, behind its facade.',
];

/**
 * The brief for module `name` of the project at `rootDir`. Reads the modules' module.json and
 * their committed module.api.md; a contract whose file is missing is computed from the code
 * (unless `compute: false`). Throws ContextError for an unknown module, naming the known ones.
 */
export async function buildContext(rootDir: string, name: string, options: ContextOptions = {}): Promise<ModuleContext> {
  const model = loadApplicationModules(rootDir, { ...(options.roots ? { roots: options.roots } : {}), allowEmpty: true, allowCycles: true });
  return contextOf(rootDir, model, name, options);
}

/** Which module `path` (absolute, or relative to rootDir) belongs to, with its brief. */
export async function contextForFile(rootDir: string, path: string, options: ContextOptions = {}): Promise<FileContext> {
  const model = loadApplicationModules(rootDir, { ...(options.roots ? { roots: options.roots } : {}), allowEmpty: true, allowCycles: true });
  const absolute = isAbsolute(path) ? path : resolve(rootDir, path);
  const file = relative(rootDir, absolute).split(sep).join('/');
  if (file.startsWith('../') || file === '..') throw new ContextError(`${path} is outside the project (${rootDir})`);
  const owner = model.moduleOf(file);
  if (!owner) return { file, shellRules: SHELL_RULES };
  return { file, module: owner.name, context: await contextOf(rootDir, model, owner.name, options) };
}

async function contextOf(rootDir: string, model: ApplicationModules, name: string, options: ContextOptions): Promise<ModuleContext> {
  const module = model.get(name);
  if (!module) {
    throw new ContextError(`no module named '${name}' (known: ${model.names.join(', ') || 'none'})`);
  }
  const others = model.modules.filter((m) => m.name !== name && model.mayUse(name, m.name));
  const contracts = await readContracts(rootDir, model, [module, ...others], options.compute !== false);

  const own = contracts.get(name);
  const mayUse: UsableModule[] = others
    .map((m) => {
      const c = contracts.get(m.name);
      return {
        module: m.name,
        via: module.dependsOn.includes(m.name) ? ('declared' as const) : ('shared' as const),
        ...(m.description ? { description: m.description } : {}),
        ...(m.entry ? { entry: m.entry } : {}),
        contractFile: `${m.dir}/${CONTRACT_FILE}`,
        contractSource: c?.source ?? 'none',
        facades: c?.contract.facades ?? [],
        exports: texts(c?.contract.exports),
        publishes: texts(c?.contract.publishes),
      };
    })
    .sort((a, b) => (a.via === b.via ? a.module.localeCompare(b.module) : a.via === 'declared' ? -1 : 1));

  const mayListenTo: ListenableEvent[] = [];
  const seen = new Set<string>();
  for (const m of others) {
    for (const e of sortEntries(contracts.get(m.name)?.contract.publishes ?? [])) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      mayListenTo.push({ event: e.key, from: m.name, text: e.text });
    }
  }

  const dependents: Dependent[] = model.dependentsOf(name).map((m) => ({ module: m.name, dir: m.dir, via: 'declared' as const }));
  const published = new Set((own?.contract.publishes ?? []).map((e) => e.key));
  if (published.size > 0) {
    const listeners = await readContracts(rootDir, model, model.modules.filter((m) => m.name !== name), false);
    for (const m of model.modules) {
      if (m.name === name) continue;
      const events = (listeners.get(m.name)?.contract.listens ?? []).map((e) => /<-\s*(\S+)/.exec(e.text)?.[1]).filter((e): e is string => e !== undefined && published.has(e));
      if (events.length > 0) dependents.push({ module: m.name, dir: m.dir, via: 'listens', events: [...new Set(events)].sort() });
    }
  }

  const sources = moduleSourceFiles(rootDir, module);
  const maxFiles = options.maxFiles ?? 25;
  const local = sources.map((f) => f.slice(module.dir.length + 1));
  return {
    module: name,
    ...(module.description ? { description: module.description } : {}),
    shared: module.shared,
    owners: [...module.owners],
    dir: module.dir,
    ...(module.entry ? { entry: module.entry } : {}),
    files: { count: local.length, list: local.slice(0, maxFiles), truncated: local.length > maxFiles },
    contract: {
      file: `${module.dir}/${CONTRACT_FILE}`,
      source: own?.source ?? 'none',
      facades: own?.contract.facades ?? [],
      exports: texts(own?.contract.exports),
      publishes: texts(own?.contract.publishes),
      listens: texts(own?.contract.listens),
      routes: texts(own?.contract.routes),
    },
    mayUse,
    mayListenTo,
    dependents,
    tables: tablesOf(rootDir, sources),
    rules: rulesFor(module, model),
    verify: [...VERIFY_COMMANDS],
  };
}

function texts(entries: readonly ContractEntry[] | undefined): string[] {
  return sortEntries(entries ?? []).map((e) => e.text);
}

async function readContracts(
  rootDir: string,
  model: ApplicationModules,
  modules: readonly ApplicationModule[],
  compute: boolean,
): Promise<Map<string, { contract: ModuleContract; source: ContractSource }>> {
  const found = new Map<string, { contract: ModuleContract; source: ContractSource }>();
  const missing: string[] = [];
  for (const m of modules) {
    const file = join(rootDir, m.dir, CONTRACT_FILE);
    const contract = existsSync(file) ? parseContract(readFileSync(file, 'utf8')) : undefined;
    if (contract) found.set(m.name, { contract, source: 'module.api.md' });
    else if (m.entry && /\.(ts|mts|tsx)$/.test(m.entry)) missing.push(m.name);
  }
  if (compute && missing.length > 0) {
    try {
      const loaded = await loadContracts(model, { modules: missing });
      for (const name of missing) {
        const contract = loaded.contracts.get(name);
        if (contract) found.set(name, { contract, source: 'computed' });
      }
    } catch {
      // A contract that cannot be computed leaves its section empty (source 'none'); `modulith contracts` reports why.
    }
  }
  return found;
}

const ENTITY = /@Entity\(\s*(?:(['"`])([^'"`]+)\1|\{[^}]*?\bname\s*:\s*(['"`])([^'"`]+)\3[^}]*\})?[^)]*\)[\s\S]*?\bclass\s+([A-Za-z_$][\w$]*)/g;

/** TypeORM @Entity classes of the module's files (a regular expression, no compiler). */
function tablesOf(rootDir: string, files: readonly string[]): Table[] {
  const tables: Table[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(rootDir, file), 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('@Entity(')) continue;
    for (const match of text.matchAll(ENTITY)) {
      const table = match[2] ?? match[4];
      tables.push({ entity: match[5], ...(table ? { table } : {}), file });
    }
  }
  return tables;
}

function rulesFor(module: ApplicationModule, model: ApplicationModules): string[] {
  const allowed = module.dependsOn.length > 0 ? module.dependsOn.join(', ') : 'none';
  const shared = model.modules.filter((m) => m.shared && m.name !== module.name && model.mayUse(module.name, m.name)).map((m) => m.name);
  return [
    `Work inside ${module.dir}/: every file there is ${module.name}'s own to change; its tests may import its internals.`,
    `Its public API is ${module.entry ?? `${module.dir}/index.ts`}: export from it only what other modules may use.`,
    `Use another module only through its public API (its index.ts), never a file inside its folder (no deep imports, also not in tests, type-only imports or re-exports).`,
    `Use only its declared dependencies (module.json dependsOn: ${allowed})${shared.length > 0 ? ` and the shared modules (${shared.join(', ')})` : ''}; adding one is a design decision: declare it in ${module.manifest} and keep the module graph acyclic.${module.shared ? ' As a shared module it may use only other shared modules.' : ''}`,
    'Facade methods take and return wire-safe data (plain JSON-like objects, strings, numbers, arrays; no entities, class instances, functions or streams), so the module can later run in its own process.',
    `Changing its contract (${module.dir}/${CONTRACT_FILE}) reaches its dependents: regenerate it with \`npx modulith contracts\` and commit it for review.`,
  ];
}

/** The commands that verify a change; the tests are those of the modules it affects (`modulith test --affected`, with the project's runner). */
export const VERIFY_COMMANDS = ['npx modulith check --changed', 'npx modulith check', 'npx modulith contracts --check', 'npx modulith test --affected'];

