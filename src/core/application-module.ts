import type { ConfigVariable, ExternalAccount } from './module-config.js';

/** The contents of a `module.json`, as the user wrote it (after validation). */
export interface ModuleManifest {
  name: string;
  dependsOn: string[];
  shared: boolean;
  description?: string;
  /** Who reviews changes to the module, in CODEOWNERS syntax (`@user`, `@org/team`, an email); [] when unset. */
  owners: string[];
  /** The PostgreSQL schema its tables live in (module.json "schema"); undefined: the connection's. */
  schema?: string;
  /** The environment variables it reads (module.json "config"); [] when unset. */
  config: ConfigVariable[];
  /** The outside accounts it depends on (module.json "externals"); [] when unset. */
  externals: ExternalAccount[];
}

/**
 * One module of the app: a direct subfolder of a modules root holding a `module.json`.
 * All paths are relative to the project root with `/` separators.
 */
export class ApplicationModule {
  constructor(
    readonly name: string,
    readonly dependsOn: readonly string[],
    readonly shared: boolean,
    readonly description: string | undefined,
    /** The modules root this module lives in, e.g. `modules`. */
    readonly root: string,
    /** The module's folder, e.g. `modules/billing`. */
    readonly dir: string,
    /** The module's public API file (`index.ts`), or undefined when the folder has none yet. */
    readonly entry: string | undefined,
    /** Who reviews changes to the module (module.json `owners`, CODEOWNERS syntax); [] when unset. */
    readonly owners: string[] = [],
    /** The PostgreSQL schema holding its tables (module.json `schema`); undefined: the connection's. */
    readonly schema?: string,
    /** The environment variables it reads (module.json `config`), sorted by name. */
    readonly config: readonly ConfigVariable[] = [],
    /** The outside accounts it depends on (module.json `externals`). */
    readonly externals: readonly ExternalAccount[] = [],
  ) {}

  get manifest(): string {
    return `${this.dir}/module.json`;
  }

  /** True when `path` (project-relative, `/` separators) is inside this module's folder. */
  contains(path: string): boolean {
    return path.startsWith(`${this.dir}/`);
  }

  /** True when `path` is this module's public API file. */
  isPublicEntry(path: string): boolean {
    return this.entry !== undefined && path === this.entry;
  }
}
