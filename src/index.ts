// The package entry of nest-modulith: the module model, @FeatureModule / ModulithModule and the
// facade contract. Each subsystem is a sealed module of its own (src/*/module.json); this file only
// re-exports public APIs. It loads no optional peer: the transactional outbox is
// `nest-modulith/events` (TypeORM), and the broker's packages load only when a topology uses one.
export * from './core/index.js';
export * from './runtime/index.js';
export * from './remote/index.js';
// Trace context as strings, for an app's own background work (a job table, a queue): capture it
// when the work is accepted, continue it when the work runs (see modules/media/job-trace.ts).
export { injectTraceContext, extractTraceContext, serializeTraceCarrier, parseTraceCarrier, type TraceCarrier } from './observability/index.js';
