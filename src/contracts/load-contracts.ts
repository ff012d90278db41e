import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { moduleSourceFiles, readJsonCache, writeCacheFile, type ApplicationModules, type ModuleContract } from '../core/index.js';

export interface LoadContractsOptions {
  /** tsconfig resolving imports, project-relative. */
  tsConfig?: string;
  /** The cache file (e.g. `.modulith-cache/contracts.json`); undefined: no cache on disk (this process still remembers). */
  cacheFile?: string;
  /** sha1 of files' contents the caller knows already (the check's scan), by project-relative path. */
  knownHashes?: ReadonlyMap<string, string>;
  /** Compute these modules only (`modulith new`: the new module). Default: every module. */
  modules?: readonly string[];
  /** Told before the TypeScript compiler is loaded, with the modules about to be computed. */
  onCompute?: (modules: readonly string[]) => void;
}

export interface LoadedContracts {
  contracts: Map<string, ModuleContract>;
  /** Modules whose contract was computed (the others came from the cache). */
  computed: string[];
  /** `warm`: nothing computed; `partial`: some modules; `cold`: everything. */
  cache: 'warm' | 'partial' | 'cold';
  durationMs: number;
}

/** Bump when the cache's shape or the contract's meaning (how it is computed or printed) changes. */
const VERSION = 3;

/**
 * What the contracts were computed from, validated without TypeScript. Per module: its contract
 * and the files it was read from (`deps`: index.ts and its barrels, every declaration printed,
 * the files holding its controllers, listeners, publications and @FeatureModule). A module is
 * computed again when one of its deps changed, or when a file of its folder changed or appeared
 * that may now hold a part of a contract (its text names a controller, a listener, an event, a
 * feature module or an event class), or when a file appeared in or vanished from a module one of
 * its deps lives in (an import may resolve elsewhere). Any other change (a method body, a private
 * file nothing prints) leaves it alone.
 */
interface ContractIndex {
  version: number;
  /** The module model and the tsconfig option: any change recomputes everything. */
  key: string;
  /** The tsconfig chain (absolute) and the sha1 of each. */
  configFiles: Record<string, string>;
  /** Every production file of every module, and every dep outside them: sha1 of its content. */
  files: Record<string, string>;
  /** Files declaring @ModuleEvent classes, and the class names each declares. */
  events: Record<string, string[]>;
  modules: Record<string, { deps: string[]; contract: ModuleContract }>;
}

const memory = new Map<string, ContractIndex>();

/** Words that mark a file that may hold a part of a contract (besides an event class's name). */
const SURFACE = ['Controller', 'OnModuleEvent', 'ModuleEvent', 'FeatureModule'];

/**
 * Every module's contract (or `modules`' only): from the cache where nothing it was computed from
 * changed, else computed with the TypeScript compiler (compute.ts, loaded only then), for the
 * modules that need it only.
 */
export async function loadContracts(model: ApplicationModules, options: LoadContractsOptions = {}): Promise<LoadedContracts> {
  const started = Date.now();
  const rootDir = model.rootDir;
  const wanted = options.modules ? model.modules.filter((m) => options.modules!.includes(m.name)) : [...model.modules];
  const key = modelKey(model, options.tsConfig);
  const listing = new Map(model.modules.map((m) => [m.name, moduleSourceFiles(rootDir, m)]));
  const moduleOfFile = new Map<string, string>();
  for (const [name, files] of listing) for (const file of files) moduleOfFile.set(file, name);

  const texts = new Map<string, string | undefined>();
  const text = (path: string): string | undefined => {
    if (!texts.has(path)) {
      try {
        texts.set(path, readFileSync(resolve(rootDir, path), 'utf8'));
      } catch {
        texts.set(path, undefined);
      }
    }
    return texts.get(path);
  };
  const hashes = new Map<string, string>();
  const fingerprint = (path: string): string => {
    let hash = hashes.get(path) ?? options.knownHashes?.get(path);
    if (hash === undefined) {
      const content = isAbsolute(path) ? readOrUndefined(path) : text(path);
      hash = content === undefined ? 'missing' : sha1(content);
      hashes.set(path, hash);
    }
    return hash;
  };

  const memoryKey = `${rootDir}\0${options.cacheFile ?? ''}`;
  let index = memory.get(memoryKey) ?? (options.cacheFile ? readJsonCache<ContractIndex>(options.cacheFile, (i) => typeof i.modules === 'object' && typeof i.files === 'object' && typeof i.events === 'object') : undefined);
  if (index && (index.version !== VERSION || index.key !== key || !Object.entries(index.configFiles).every(([f, h]) => hashFile(f) === h))) {
    index = undefined;
  }

  // Event declarations as they are now: the old ones, updated with every file that changed.
  const events = new Map(Object.entries(index?.events ?? {}));
  const dirty = new Set<string>();
  if (!index) {
    for (const m of wanted) dirty.add(m.name);
  } else {
    const previous = index;
    const current = new Set(moduleOfFile.keys());
    const changed: string[] = [];
    const layoutChanged = new Set<string>();
    for (const file of current) {
      if (!(file in previous.files)) {
        changed.push(file);
        layoutChanged.add(moduleOfFile.get(file)!);
      } else if (fingerprint(file) !== previous.files[file]) changed.push(file);
    }
    for (const file of Object.keys(previous.files)) {
      if (current.has(file)) continue;
      const owner = model.moduleOf(file)?.name;
      if (owner) layoutChanged.add(owner);
      // A dep outside every module: compare its content; one in a module that vanished: changed.
      if (owner || fingerprint(file) !== previous.files[file]) changed.push(file);
    }
    for (const file of changed) {
      const content = moduleOfFile.has(file) ? text(file) : undefined;
      if (content?.includes('ModuleEvent')) events.set(file, eventClassNames(content));
      else events.delete(file);
    }
    const marker = surfacePattern(events);
    const changedSet = new Set(changed);
    // Every module is looked at (not only those wanted), so that one left out now is not forgotten.
    for (const m of model.modules) {
      const record = previous.modules[m.name];
      if (!record) {
        dirty.add(m.name);
        continue;
      }
      const depModules = new Set(record.deps.map((d) => model.moduleOf(d)?.name).filter((n): n is string => n !== undefined));
      if (record.deps.some((d) => changedSet.has(d)) || [...layoutChanged].some((x) => x === m.name || depModules.has(x))) dirty.add(m.name);
    }
    for (const file of changed) {
      const content = moduleOfFile.has(file) ? text(file) : undefined;
      if (content === undefined) continue;
      const owner = moduleOfFile.get(file)!;
      if (marker.test(content)) markDirty(owner);
      // An event declaration may name any module its owner (`module: 'billing'`, `name: 'billing.x'`).
      if (content.includes('ModuleEvent')) for (const m of model.modules) if (new RegExp(`['"\`]${escape(m.name)}['".\`]`).test(content)) markDirty(m.name);
    }
    function markDirty(name: string): void {
      dirty.add(name);
    }
  }
  const wantedNames = new Set(wanted.map((m) => m.name));
  const computing = [...dirty].filter((name) => wantedNames.has(name)).sort();

  // A module that needs computing but is not wanted now loses its record: the next run computes it.
  const kept = (name: string): boolean => !dirty.has(name) || computing.includes(name);

  const contracts = new Map<string, ModuleContract>();
  if (!index && computing.length === 0) return { contracts, computed: [], cache: 'warm', durationMs: Date.now() - started };
  if (index && computing.length === 0) {
    for (const m of wanted) contracts.set(m.name, index!.modules[m.name].contract);
    // What changed without touching any contract is the new state (so it is not looked at again).
    const modules = Object.fromEntries(Object.entries(index!.modules).filter(([name]) => kept(name)));
    const next: ContractIndex = { ...index!, modules, events: Object.fromEntries([...events].sort(([a], [b]) => (a < b ? -1 : 1))) };
    next.files = currentFiles(next, listing, fingerprint);
    memory.set(memoryKey, next);
    if (options.cacheFile && JSON.stringify(next) !== JSON.stringify(index)) writeCacheFile(options.cacheFile, JSON.stringify(next));
    return { contracts, computed: [], cache: 'warm', durationMs: Date.now() - started };
  }

  // Cold: every file's text is read once, to find the event declarations and the surface files.
  if (!index) {
    events.clear();
    for (const files of listing.values()) {
      for (const file of files) {
        const content = text(file);
        if (content?.includes('ModuleEvent')) events.set(file, eventClassNames(content));
      }
    }
  }
  const marker = surfacePattern(events);
  const roots = new Set<string>(events.keys());
  for (const name of computing) {
    const module = model.get(name)!;
    if (module.entry) roots.add(module.entry);
    for (const file of listing.get(name) ?? []) {
      const content = text(file);
      if (content !== undefined && marker.test(content)) roots.add(file);
    }
  }

  options.onCompute?.(computing);
  const { computeContracts } = await import('./compute.js');
  const result = computeContracts(model, {
    ...(options.tsConfig ? { tsconfig: options.tsConfig } : {}),
    modules: computing,
    roots: [...roots].sort(),
    files: listing,
  });
  const next: ContractIndex = {
    version: VERSION,
    key,
    configFiles: Object.fromEntries(result.configFiles.map((f) => [f, hashFile(f)])),
    files: {},
    events: Object.fromEntries([...events].sort(([a], [b]) => (a < b ? -1 : 1))),
    modules: {},
  };
  for (const m of model.modules) {
    const contract = result.contracts.get(m.name);
    if (contract) next.modules[m.name] = { deps: result.files.get(m.name) ?? [], contract };
    else if (index?.modules[m.name] && kept(m.name)) next.modules[m.name] = index.modules[m.name];
  }
  next.files = currentFiles(next, listing, fingerprint);
  memory.set(memoryKey, next);
  if (options.cacheFile) writeCacheFile(options.cacheFile, JSON.stringify(next));
  for (const m of wanted) {
    const contract = next.modules[m.name]?.contract;
    if (contract) contracts.set(m.name, contract);
  }
  return { contracts, computed: computing, cache: index && computing.length < model.modules.length ? 'partial' : 'cold', durationMs: Date.now() - started };
}

/** Forgets what this process computed (the next call reads the cache file, if any). */
export function forgetContracts(): void {
  memory.clear();
}

/** Fingerprints of every module file now, and of the deps outside the modules. */
function currentFiles(index: ContractIndex, listing: ReadonlyMap<string, string[]>, fingerprint: (path: string) => string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const list of listing.values()) for (const file of list) files[file] = fingerprint(file);
  for (const { deps } of Object.values(index.modules)) for (const dep of deps) files[dep] ??= fingerprint(dep);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function surfacePattern(events: ReadonlyMap<string, string[]>): RegExp {
  const names = [...new Set([...SURFACE, ...[...events.values()].flat()])].map(escape);
  return new RegExp(`(?<![\\w$])(?:${names.join('|')})(?![\\w$])`);
}

/** The names of the classes a file declares (over-approximated: every `class X`). */
function eventClassNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\bclass\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))].sort();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function modelKey(model: ApplicationModules, tsConfig: string | undefined): string {
  return sha1(
    JSON.stringify({
      version: VERSION,
      tsConfig,
      roots: model.roots,
      modules: model.modules.map((m) => [m.name, m.dir, m.entry, m.manifest, m.shared]),
    }),
  );
}


function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function hashFile(file: string): string {
  const content = readOrUndefined(file);
  return content === undefined ? 'missing' : sha1(content);
}



function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
