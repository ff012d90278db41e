import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * A job's trace across media's background queue: the submitting request's trace context is
 * stored with the job (`media_jobs.trace_context`, W3C `traceparent`/`tracestate` as JSON) and the
 * runner works on the job inside it, so the charge, the generation and the outcome's event (and
 * everything its delivery does, in any process) belong to the trace of the submission, however
 * late or on whichever instance the job runs. Without an OpenTelemetry SDK nothing is stored and
 * every call here is a no-op.
 */

type Carrier = Record<string, string>;

/** Longest stored context parsed at all (a W3C context is about 600 characters at most). */
const MAX_TEXT = 4_096;
const MAX_ENTRIES = 8;
const MAX_KEY = 64;
const MAX_VALUE = 512;
const KEY = /^[a-z0-9_-]+$/i;

const tracer = () => trace.getTracer('modulith-media');

/** The active trace context as JSON for the job's row, or null when there is none to keep (no SDK). */
export function captureTraceContext(from: Context = context.active()): string | null {
  try {
    const carrier: Carrier = {};
    propagation.inject(from, carrier);
    const clean = cleanCarrier(carrier);
    return clean ? JSON.stringify(clean) : null;
  } catch {
    return null; // a broken propagator costs the trace link, never the submission
  }
}

/**
 * The stored context as a carrier, or undefined when the column holds nothing usable: not JSON,
 * too long, not an object of a few short string entries only. The column is data like any other: a
 * damaged or hostile value must never break a job, only lose its link to the submission.
 */
export function parseTraceContext(text: unknown): Carrier | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT) return undefined;
  try {
    return cleanCarrier(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The context a job's stored trace context describes; the root context (a new trace) when it is unusable. */
export function jobParentContext(stored: unknown): Context {
  const carrier = parseTraceContext(stored);
  if (!carrier) return ROOT_CONTEXT;
  try {
    return propagation.extract(ROOT_CONTEXT, carrier);
  } catch {
    return ROOT_CONTEXT;
  }
}

/**
 * Runs a job's work in a `media.job` span (INTERNAL) that continues the job's stored trace
 * context: what `work` does (facade calls, event publications) joins the submission's trace.
 * A rejection of `work` is recorded on the span and rethrown.
 */
export function inJobTrace<T>(job: { id: string; traceContext?: string | null }, work: (span: Span) => Promise<T>): Promise<T> {
  return context.with(jobParentContext(job.traceContext), () =>
    tracer().startActiveSpan(
      'media.job',
      { kind: SpanKind.INTERNAL, attributes: { 'modulith.module': 'media', 'modulith.media.job_id': job.id } },
      async (span) => {
        try {
          return await work(span);
        } catch (error) {
          // Its class and message only: a stack (or a driver's SQL in it) does not leave the process.
          span.recordException(error instanceof Error ? { name: error.name, message: error.message } : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    ),
  );
}

/** Marks the active job span failed (the job failed; nothing was thrown). */
export function markJobFailed(message: string): void {
  trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The value as a carrier when it is an object of a few short string entries only; otherwise undefined. */
function cleanCarrier(value: unknown): Carrier | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_ENTRIES) return undefined;
  const out: Carrier = {};
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string' || key.length > MAX_KEY || entry.length > MAX_VALUE || !KEY.test(key)) return undefined;
    out[key.toLowerCase()] = entry;
  }
  return out;
}
