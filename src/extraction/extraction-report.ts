import type { ConfigVariable, Violation } from '../core/index.js';

/**
 * What `modulith extract NAME` finds, as plain data: the JSON format prints it as is, the pretty
 * format and the deployment README are written from it. All paths are project-relative with `/`.
 */
export interface ExtractionReport {
  module: string;
  /** No blockers: the module can run in its own process without its callers changing. */
  ready: boolean;
  blockers: number;
  warnings: number;
  /** Everything to fix (blockers) or to look at (warnings), blockers first. */
  findings: Finding[];
  /** The facades the module will serve over the broker. */
  facades: FacadeContract[];
  /** Facades of other modules it injects: they will be called over the broker. */
  remoteCalls: FacadeUse[];
  /** Other modules that inject its facades: they will call it over the broker. */
  callers: FacadeUse[];
  /** Modules that declare a dependency on it without injecting a facade (types, events, values). */
  dependents: string[];
  tables: OwnedTable[];
  /** Tables of other modules its own code uses through their entity classes. */
  foreignTables: ForeignTableUse[];
  events: { publishes: PublishedEvent[]; consumes: ConsumedEvent[] };
  dependencies: DependencyReport;
  /** Its environment variables (module.json "config"), which move with it; absent in reports built without them. */
  config?: ExtractedConfig;
}

/** The settings that move with the module, and those the monolith keeps reading. */
export interface ExtractedConfig {
  /** The variables the module declares (sorted): the service needs exactly these. */
  variables: ConfigVariable[];
  /** Variables the other modules declare (sorted), with the modules that do: the monolith still needs them. */
  monolithKeeps: { name: string; required: boolean; secret: boolean; modules: string[] }[];
}

export type Severity = 'blocker' | 'warning';

export type FindingKind =
  | 'shared-module'
  | 'facade-source'
  | 'facade-not-exported'
  | 'missing-facade-decorator'
  | 'facade-decorator-mismatch'
  | 'facade-property'
  | 'sync-method'
  | 'wire-type'
  | 'shared-table'
  | 'foreign-entity'
  | 'table-in-sql'
  | 'boundary-violation'
  | 'undeclared-dependency';

export interface Finding {
  severity: Severity;
  kind: FindingKind;
  /** The module whose code the finding is in. */
  module: string;
  file: string;
  line?: number;
  message: string;
  /** One line: what to change. */
  fix: string;
}

export interface SourceLocation {
  file: string;
  line: number;
}

/** One facade class and its methods as the remote runtime will see them. */
export interface FacadeContract extends SourceLocation {
  name: string;
  module: string;
  /** How it was found: the `facades` of @FeatureModule, or an abstract class exported from index.ts. */
  source: 'feature-module' | 'index-export';
  /** The names its @Facade({...}) lists; null without @Facade (undefined when the list cannot be read). */
  declaredMethods: string[] | null | undefined;
  methods: FacadeMethod[];
}

export interface FacadeMethod {
  name: string;
  line: number;
  /** As written, e.g. `charge(input: ChargeInput): Promise<BalanceView>`. */
  signature: string;
  /** Returns a Promise (a remote call is always async). */
  async: boolean;
  /** Wire problems of its parameters and result. */
  issues: WireIssue[];
}

/** Something in a type that the JSON wire codec refuses (blocker) or that cannot be verified (warning). */
export interface WireIssue {
  severity: Severity;
  /** Where in the value, e.g. `input.items[].when` or `result.createdAt`. */
  path: string;
  /** The type as written there, e.g. `Date`. */
  type: string;
  reason: string;
  fix: string;
}

/** A module injecting a facade of another module. */
export interface FacadeUse {
  /** The module that owns the facade. */
  module: string;
  facade: string;
  /** The module that injects it. */
  caller: string;
  /** Facade methods the caller's code calls (found through `this.<property>.<method>(`). */
  methods: string[];
  sites: SourceLocation[];
}

export interface OwnedTable extends SourceLocation {
  table: string;
  entity: string;
  /** Other modules that declare the same table or use this entity. */
  sharedWith: TableShare[];
}

export interface TableShare extends SourceLocation {
  module: string;
  how: 'same-table' | 'entity-reference' | 'sql-string';
  /** The other module's entity (same-table) or what it mentions. */
  detail: string;
}

export interface ForeignTableUse extends SourceLocation {
  /** The module that owns the entity. */
  module: string;
  entity: string;
  table: string;
}

export interface EventRef {
  /** Logical name, e.g. `media.job.completed` (null when not a literal). */
  name: string | null;
  version: number | null;
  class: string;
  /** The module whose code declares the class (e.g. a shared module). */
  declaredIn: string;
  /** The module the event belongs to (`module:` of @ModuleEvent, else the name's first segment). */
  owner: string | null;
}

export interface PublishedEvent extends EventRef {
  /** Where the module constructs it (empty when it only declares it for itself). */
  publishedAt: SourceLocation[];
  /** Listeners in other modules: they will receive it over the broker. */
  consumers: Array<SourceLocation & { module: string; listener: string }>;
}

export interface ConsumedEvent extends EventRef, SourceLocation {
  /** The listener id (`id` option, else `Class.method`). */
  listener: string;
  /** Modules whose code constructs the event. */
  publishers: string[];
}

export interface DependencyReport {
  declared: string[];
  /** Modules its code uses (imports, injected facades, events listened to), shared ones included. */
  used: string[];
  /** Used but neither declared nor shared. */
  undeclared: string[];
  /** Shared modules it uses: both processes include them. */
  shared: string[];
  /** Boundary violations (from `modulith check`, baselined ones included) from or into it. */
  violations: Array<
    Pick<Violation, 'rule' | 'severity' | 'from' | 'to' | 'fromModule' | 'toModule' | 'line' | 'message'> & {
      /** Suppressed by the baseline in `modulith check`, but still coupling that extraction breaks. */
      baselined: boolean;
    }
  >;
}
