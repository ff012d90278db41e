import { context, SpanStatusCode, type Attributes, type Context, type Link, type Span, type SpanKind } from '@opentelemetry/api';
import { modulithTracer } from './telemetry.js';

export interface SpanOptions {
  kind: SpanKind;
  attributes: Attributes;
  /** The parent (default: the active context). */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `fn` inside a new active span: ended when the promise settles, status ERROR and the
 * exception recorded (its class and message, which the SDK exports; nothing else) when it rejects.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = modulithTracer();
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(name, { kind: options.kind, attributes: options.attributes, links: options.links }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException({ name: error.name, message: error.message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
