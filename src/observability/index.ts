/** Public API of the observability subsystem: what the runtime, events and remote subsystems instrument with. */
export { INSTRUMENTATION_SCOPE, modulithTracer, modulithMeter, telemetryRegistered } from './telemetry.js';
export { ATTR, APP_CALLER } from './attributes.js';
export { currentModule, runInModule } from './module-scope.js';
export { injectTraceContext, extractTraceContext, serializeTraceCarrier, parseTraceCarrier, sanitizeCarrier, type TraceCarrier } from './trace-carrier.js';
export { inSpan, recordError, type SpanOptions } from './spans.js';
export { modulithInstruments, type ModulithInstruments } from './instruments.js';
export { traceFacade, unwrapTracedFacade } from './traced-facade.js';
