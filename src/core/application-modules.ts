import { ApplicationModule } from './application-module.js';
import { declaredCycles } from './validate-modules.js';

/**
 * The modules of one app: the model that the boundary check, runtime verification, docs and
 * extraction all read. Built by `loadApplicationModules`, which has already validated it, so
 * every `dependsOn` here names a module of this set and the declared graph has no cycle — unless
 * it was loaded with `allowCycles`, in which case `declaredCycles()` lists them.
 */
export class ApplicationModules {
  private readonly byName: ReadonlyMap<string, ApplicationModule>;
  private cycles: string[][] | undefined;

  constructor(
    /** Absolute path of the project root. */
    readonly rootDir: string,
    /** Modules roots, relative to rootDir, e.g. `['modules']`. */
    readonly roots: readonly string[],
    /** Every module, sorted by name. */
    readonly modules: readonly ApplicationModule[],
  ) {
    this.byName = new Map(modules.map((m) => [m.name, m]));
  }

  get names(): string[] {
    return this.modules.map((m) => m.name);
  }

  get(name: string): ApplicationModule | undefined {
    return this.byName.get(name);
  }

  require(name: string): ApplicationModule {
    const module = this.byName.get(name);
    if (!module) throw new Error(`nest-modulith: no module named '${name}' (known: ${this.names.join(', ') || 'none'})`);
    return module;
  }

  /** The module whose folder holds `path` (project-relative, `/` separators), if any. */
  moduleOf(path: string): ApplicationModule | undefined {
    return this.modules.find((m) => m.contains(path));
  }

  /** The modules root that holds `path`, if any. */
  rootOf(path: string): string | undefined {
    return this.roots.find((r) => r === '.' || path.startsWith(`${r}/`));
  }

  /**
   * May module `from` use module `to`'s public API? Its own, a declared dependency, or any shared
   * module (a shared module itself may only use other shared modules).
   */
  mayUse(from: string, to: string): boolean {
    if (from === to) return true;
    const source = this.require(from);
    const target = this.require(to);
    if (source.dependsOn.includes(to)) return true;
    return target.shared && (!source.shared || target.shared);
  }

  /**
   * The cycles of the declared `dependsOn` graph, each a list of module names starting at the
   * smallest (`['orders', 'reporting']` for orders -> reporting -> orders), sorted. Always empty
   * for a model loaded without `allowCycles`, which rejects them.
   */
  declaredCycles(): string[][] {
    this.cycles ??= declaredCycles(this.modules);
    return this.cycles.map((cycle) => [...cycle]);
  }

  /** Modules that declare a dependency on `name`. */
  dependentsOf(name: string): ApplicationModule[] {
    return this.modules.filter((m) => m.dependsOn.includes(name));
  }
}
