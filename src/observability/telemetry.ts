import { createNoopMeter, metrics, ProxyTracerProvider, trace, type Meter, type Tracer } from '@opentelemetry/api';

/**
 * The instrumentation scope of everything nest-modulith emits. Through @opentelemetry/api only:
 * the app brings (or does not bring) an SDK; without one these are no-ops that cost a call.
 * Looked up per use, not cached at load, so an SDK started after this module loads is honoured.
 */
export const INSTRUMENTATION_SCOPE = 'nest-modulith';

export function modulithTracer(): Tracer {
  return trace.getTracer(INSTRUMENTATION_SCOPE);
}

export function modulithMeter(): Meter {
  return metrics.getMeter(INSTRUMENTATION_SCOPE);
}

// What the API hands out while no SDK is registered (singletons of @opentelemetry/api).
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_METER = createNoopMeter();

/**
 * True when the app has registered an OpenTelemetry SDK (a tracer or a meter provider).
 * Decides, when a module is placed at boot, whether its in-process facades get the traced
 * wrapper: without an SDK a facade call stays a plain method call (no wrapper, no span, no
 * metric), so an app that does not use OpenTelemetry pays nothing. Start the SDK before the
 * Nest app is created (as the reference app's app/telemetry.ts does).
 */
export function telemetryRegistered(): boolean {
  const provider = trace.getTracerProvider();
  const tracing = (provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider) !== NOOP_TRACER_PROVIDER;
  return tracing || metrics.getMeterProvider().getMeter(INSTRUMENTATION_SCOPE) !== NOOP_METER;
}
