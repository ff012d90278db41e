import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/**
 * Trace context as plain strings (W3C `traceparent` / `tracestate` with the default propagator),
 * to store with an outbox row or send in broker headers. Empty when no SDK/propagator is set.
 */
export type TraceCarrier = Record<string, string>;

export function injectTraceContext(from: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context a stored or received carrier describes (the root context when it holds none). */
export function extractTraceContext(carrier: unknown): Context {
  const clean = sanitizeCarrier(carrier);
  return clean ? propagation.extract(ROOT_CONTEXT, clean) : ROOT_CONTEXT;
}

/** The carrier as JSON for a database column, or null when there is nothing to keep. */
export function serializeTraceCarrier(carrier: TraceCarrier): string | null {
  return Object.keys(carrier).length > 0 ? JSON.stringify(carrier) : null;
}

export function parseTraceCarrier(text: string | null | undefined): TraceCarrier | undefined {
  if (!text) return undefined;
  try {
    return sanitizeCarrier(JSON.parse(text));
  } catch {
    return undefined; // a damaged column loses the trace link, never the event
  }
}

const MAX_ENTRIES = 8;
const MAX_LENGTH = 512;

/**
 * Carriers cross processes: a hostile or broken peer may send anything. Keep string entries
 * with short names and values only; the propagator validates the traceparent format itself.
 */
export function sanitizeCarrier(value: unknown): TraceCarrier | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: TraceCarrier = {};
  let count = 0;
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'string' || key.length > 64 || entry.length > MAX_LENGTH || !/^[a-z0-9_-]+$/i.test(key)) continue;
    out[key.toLowerCase()] = entry;
    if (++count >= MAX_ENTRIES) break;
  }
  return count > 0 ? out : undefined;
}
