import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/**
 * Trace context as plain strings (W3C `traceparent` / `tracestate` with the default propagator),
 * to store with an outbox row or send in broker headers. Empty when no SDK/propagator is set.
 */
export type TraceCarrier = Record<string, string>;

export function injectTraceContext(from: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  try {
    propagation.inject(from, carrier);
  } catch {
    return {}; // a broken propagator costs the trace link, never the work
  }
  return carrier;
}

/** The context a stored or received carrier describes (the root context when it holds none, or a broken propagator throws). */
export function extractTraceContext(carrier: unknown): Context {
  const clean = sanitizeCarrier(carrier);
  if (!clean) return ROOT_CONTEXT;
  try {
    return propagation.extract(ROOT_CONTEXT, clean);
  } catch {
    return ROOT_CONTEXT;
  }
}

/** The carrier as JSON for a database column, or null when there is nothing to keep. */
export function serializeTraceCarrier(carrier: TraceCarrier): string | null {
  return Object.keys(carrier).length > 0 ? JSON.stringify(carrier) : null;
}

/**
 * A carrier stored by serializeTraceCarrier, read back from a column. What we wrote is a small
 * object of short strings; anything else (not JSON, too long, a value of another type, a strange
 * key, too many entries) was damaged or tampered with, and the whole value is dropped: the work
 * loses its link to the trace, never more.
 */
export function parseTraceCarrier(text: unknown): TraceCarrier | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_STORED) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const clean = sanitizeCarrier(value);
  return clean && Object.keys(clean).length === Object.keys(value as object).length ? clean : undefined;
}

/** Longest stored carrier read at all (a W3C context is a few hundred characters). */
const MAX_STORED = 4_096;

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
