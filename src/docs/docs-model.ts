/**
 * The one model `modulith graph` and `modulith docs` render: every module with what a reader
 * wants on its canvas, and every edge between two modules with what lies behind it.
 * Plain data (JSON-serialisable), sorted, so every renderer is a pure function of it and the
 * same app gives the same bytes.
 */
export interface DocsModel {
  version: 1;
  /** Sorted by name. */
  modules: DocsModule[];
  /** Sorted by id. */
  edges: DocsEdge[];
}

export interface DocsModule {
  name: string;
  /** Project-relative folder, `/` separators. */
  dir: string;
  shared: boolean;
  description?: string;
  owners: string[];
  /** Its source files (tests excluded) and their lines: the node's size on the page. */
  size: { files: number; lines: number };
  dependsOn: string[];
  /** Modules whose dependsOn lists this one. */
  dependents: string[];
  /** Facade classes with one signature per method, e.g. `charge(input: ChargeInput): Promise<Receipt>`. */
  facades: { name: string; methods: string[] }[];
  /** Event names (with version where known) it publishes / listens to. */
  publishes: string[];
  listens: string[];
  /** HTTP routes, e.g. `POST /media/jobs`. */
  routes: string[];
  /** Tables its entities map to. */
  tables: string[];
  /** Open (not baselined) violations whose `from` lies in this module. */
  violations: DocsViolation[];
  /** Baselined violations from this module (known debt). */
  debt: DocsViolation[];
}

export interface DocsViolation {
  rule: string;
  /** Only `error` ones colour an edge red (or orange, baselined); a warning is listed, not drawn. */
  severity?: 'error' | 'warn';
  from: string;
  to: string;
  message: string;
}

export type EdgeKind = 'dependency' | 'event';

/**
 * A dependency edge points from the dependent to its dependency; an event edge from the
 * publisher to the listener's module.
 * `status`: `violation` when an open violation lies behind it, else `debt` when a baselined one
 * does, else `undeclared` for a use missing from dependsOn, `unused` for a declared dependency
 * with no import, else `ok`.
 */
export interface DocsEdge {
  /** `<kind>:<from>-><to>`. */
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  /** Listed in `from`'s dependsOn (dependency edges); event edges: the listener may use the publisher (declared, or shared). */
  declared: boolean;
  /** Imports of `to` found in `from`'s code: file pairs, sorted. */
  imports: { from: string; to: string }[];
  /** Facade methods `from` calls on `to`, e.g. `BillingFacade.charge`, sorted. */
  calls: string[];
  /** Event names flowing along the edge (event edges). */
  events: string[];
  violations: DocsViolation[];
  debt: DocsViolation[];
  status: 'ok' | 'violation' | 'debt' | 'undeclared' | 'unused';
}
