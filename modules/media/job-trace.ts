import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext, parseTraceCarrier, serializeTraceCarrier, type TraceCarrier } from 'nest-modulith';

/**
 * A job's trace across media's background queue: the submitting request's trace context is
 * stored with the job (`media_jobs.trace_context`, W3C `traceparent`/`tracestate` as JSON) and the
 * runner works on the job inside it, so the charge, the generation and the outcome's event (and
 * everything its delivery does, in any process) belong to the trace of the submission, however
 * late or on whichever instance the job runs. Without an OpenTelemetry SDK nothing is stored and
 * every call here is a no-op.
 */

const tracer = () => trace.getTracer('modulith-media');

/** The active trace context as JSON for the job's row, or null when there is none to keep (no SDK). */
export function captureTraceContext(from: Context = context.active()): string | null {
  return serializeTraceCarrier(injectTraceContext(from));
}

/**
 * The stored context as a carrier, or undefined when the column holds nothing usable (see
 * parseTraceCarrier): a damaged or hostile value must never break a job, only lose its link to
 * the submission.
 */
export function parseTraceContext(text: unknown): TraceCarrier | undefined {
  return parseTraceCarrier(text);
}

/** The context a job's stored trace context describes; the root context (a new trace) when it is unusable. */
export function jobParentContext(stored: unknown): Context {
  const carrier = parseTraceCarrier(stored);
  return carrier ? extractTraceContext(carrier) : ROOT_CONTEXT;
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
