import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { captureTraceContext, jobParentContext, parseTraceContext } from './job-trace.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe("a job's stored trace context", () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => propagation.disable());

  it('is the W3C context of the submission as JSON, and the runner continues it', () => {
    const submitting = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    const stored = captureTraceContext(submitting);
    expect(JSON.parse(stored!)).toEqual({ traceparent: TRACEPARENT });
    expect(trace.getSpanContext(jobParentContext(stored))).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
  });

  it('is null without a trace to continue (nothing stored)', () => {
    expect(captureTraceContext(ROOT_CONTEXT)).toBeNull();
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['not JSON', 'not json'],
    ['a non-string value', '{"traceparent":123}'],
    ['a non-string value next to a good one', `{"traceparent":"${TRACEPARENT}","tracestate":{}}`],
    ['an array', `["${TRACEPARENT}"]`],
    ['JSON null', 'null'],
    ['a string', `"${TRACEPARENT}"`],
    ['an empty object', '{}'],
    ['10 kB', `{"traceparent":"${'0'.repeat(10_000)}"}`],
    ['a long value', `{"traceparent":"${TRACEPARENT}","tracestate":"${'a'.repeat(600)}"}`],
    ['a strange key', `{"trace parent":"${TRACEPARENT}"}`],
    ['too many entries', JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'])))],
  ])('starts a new trace when unusable: %s', (_, stored) => {
    expect(parseTraceContext(stored)).toBeUndefined();
    expect(jobParentContext(stored)).toBe(ROOT_CONTEXT);
  });

  it('starts a new trace for a well-formed carrier with a malformed traceparent (the propagator checks it)', () => {
    expect(trace.getSpanContext(jobParentContext('{"traceparent":"00-zz-yy-01"}'))).toBeUndefined();
  });
});
