import type { Context } from '@opentelemetry/api';
import { isModuleName } from '../core/index.js';
import { APP_CALLER, extractTraceContext, injectTraceContext, type TraceCarrier } from '../observability/index.js';

/**
 * What a request over the broker carries for observability, in NATS headers: the W3C trace
 * context (`traceparent`, `tracestate`, as the configured propagator writes them) and the module
 * that made the call. A peer that sends none (an older nest-modulith, no SDK) starts a new trace.
 */
export const CALLER_HEADER = 'Modulith-Caller';
/** Recorded when the caller header is missing (an older peer) or holds no module name (a hostile or broken one). */
export const UNKNOWN_CALLER = 'unknown';

/** The header entries of a request: the trace context (by default the active one; none without an SDK) and the calling module. */
export function outgoingTraceHeaders(caller: string, carrier: TraceCarrier = injectTraceContext()): TraceCarrier {
  return { ...carrier, [CALLER_HEADER]: caller };
}

/** The part of NATS' MsgHdrs read here (also what Nest's NatsContext.getHeaders() returns). */
interface ReadableHeaders {
  get?(key: string): unknown;
}

/** The parent context and the caller of a received request; headers are hostile input, checked here. */
export function incomingTraceHeaders(headers: unknown): { parent: Context; caller: string } {
  const h = headers as ReadableHeaders | undefined;
  const get = (key: string): string | undefined => {
    if (typeof h?.get !== 'function') return undefined;
    const value = h.get(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const carrier: Record<string, string | undefined> = { traceparent: get('traceparent'), tracestate: get('tracestate') };
  const caller = get(CALLER_HEADER);
  return {
    // extractTraceContext drops anything that is no short string; the propagator checks the format.
    parent: extractTraceContext(carrier),
    caller: caller !== undefined && (caller === APP_CALLER || isModuleName(caller)) ? caller : UNKNOWN_CALLER,
  };
}

/** The headers of a received request in Nest's NatsContext (getHeaders), if any. */
export function contextHeaders(context: unknown): unknown {
  const read = (context as { getHeaders?(): unknown } | undefined)?.getHeaders;
  return typeof read === 'function' ? read.call(context) : undefined;
}
