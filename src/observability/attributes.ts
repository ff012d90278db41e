/**
 * Span and metric attribute names: a user-facing contract (PRODUCT.md), dashboards and alerts
 * are built on them. Extend, never rename.
 */
export const ATTR = {
  /** The module that serves the call / owns the listener. */
  module: 'modulith.module',
  /** The calling module, or `app` when the call comes from outside every module. */
  caller: 'modulith.caller',
  facade: 'modulith.facade',
  method: 'modulith.method',
  eventName: 'modulith.event.name',
  eventVersion: 'modulith.event.version',
  eventId: 'modulith.event.id',
  listener: 'modulith.listener',
  /** Delivery attempt, 1 for the first. */
  attempt: 'modulith.attempt',
  /** `ok` or `error` on metrics. */
  outcome: 'modulith.outcome',
} as const;

/** The caller recorded when a facade is called from outside every module (bootstrap code, a script). */
export const APP_CALLER = 'app';
