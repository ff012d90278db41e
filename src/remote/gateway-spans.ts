import type { IncomingMessage, RequestListener } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR, currentModule, extractTraceContext, injectTraceContext, inSpan } from '../observability/index.js';
import { contextHeaders, incomingTraceHeaders } from './trace-headers.js';

/**
 * Spans of an HTTP request the gateway forwards over the broker: `forward <METHOD> /<module>`
 * (CLIENT) in the process that received it, `replay <METHOD> /<module>` (SERVER) in the one that
 * replays it, and the replayed request's own HTTP server span (when the app instruments http)
 * under that: one trace from the public request to the module's controller.
 */
interface WireResponse {
  status: number;
}

const STATUS_ATTRIBUTE = 'http.response.status_code';
const METHOD_ATTRIBUTE = 'http.request.method';

export function forwardSpan<T extends WireResponse>(module: string, method: string, fn: () => Promise<T>): Promise<T> {
  const verb = httpMethod(method);
  const attributes = { [ATTR.module]: module, [ATTR.caller]: currentModule(), [METHOD_ATTRIBUTE]: verb };
  return inSpan(`forward ${verb} /${module}`, { kind: SpanKind.CLIENT, attributes }, async (span) => endWith(span, await fn()));
}

/** The handler of `module`'s forwarded requests, inside a SERVER span continuing the forwarding side's trace. */
export function tracedReplay<T extends WireResponse>(module: string, handler: (payload: unknown) => Promise<T>): (payload: unknown, context?: unknown) => Promise<T> {
  return (payload, natsContext) => {
    const { parent, caller } = incomingTraceHeaders(contextHeaders(natsContext));
    const method = payload !== null && typeof payload === 'object' ? Object.getOwnPropertyDescriptor(payload, 'method')?.value : undefined;
    const verb = httpMethod(method);
    const attributes = { [ATTR.module]: module, [ATTR.caller]: caller, [METHOD_ATTRIBUTE]: verb };
    return inSpan(`replay ${verb} /${module}`, { kind: SpanKind.SERVER, attributes, parent }, async (span) => endWith(span, await handler(payload)));
  };
}

/**
 * The headers of the replayed request with the active trace context in place of the client's
 * (the replayed request's server span then belongs under the replay span). Unchanged without one.
 */
export function withActiveTraceContext(headers: Record<string, string>): Record<string, string> {
  const carrier = injectTraceContext();
  if (Object.keys(carrier).length === 0) return headers;
  const kept = Object.entries(headers).filter(([name]) => !(name.toLowerCase() in carrier));
  return { ...Object.fromEntries(kept), ...carrier };
}

/**
 * The loopback server's listener: when the app does not instrument http (no server span is
 * active), its handling still continues the replay's trace, read from the headers set above.
 */
export function continueForwardedTrace(listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res) => {
    if (trace.getSpan(context.active())) return listener(req, res);
    const parent = extractTraceContext({ traceparent: req.headers.traceparent, tracestate: req.headers.tracestate });
    return context.with(parent, () => listener(req, res));
  };
}

function endWith<T extends WireResponse>(span: Span, response: T): T {
  span.setAttribute(STATUS_ATTRIBUTE, response.status);
  if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  return response;
}

/** A method fit for a span name (it comes from the request, or from anyone on the broker). */
function httpMethod(method: unknown): string {
  return typeof method === 'string' && /^[A-Z]{3,7}$/.test(method) ? method : 'HTTP';
}
