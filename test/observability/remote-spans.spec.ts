// @modulith-covers observability, remote
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CALLER_HEADER, Facade, facadeCallHandler, LoopbackReplayer, remoteFacade, type BrokerClient } from '../../src/remote/index.js';
import { currentModule, injectTraceContext, inSpan, runInModule } from '../../src/observability/index.js';
import { startTestTelemetry, type TestTelemetry } from '../support/otel.js';

// The span of each side of a remote call, and what the serving side makes of the headers it is
// sent: anything on the broker can send any, so only a well-formed trace context and a module
// name are taken; the rest starts a new trace, or is recorded as caller 'unknown'.

@Facade<CatalogFacade>({ price: true, fail: true, whoRuns: true })
abstract class CatalogFacade {
  abstract price(sku: string): Promise<number>;
  abstract fail(): Promise<void>;
  abstract whoRuns(): Promise<string>;
}

class Catalog implements CatalogFacade {
  async price(sku: string): Promise<number> {
    return sku.length;
  }
  async fail(): Promise<void> {
    throw new Error('relation "secret_prices" does not exist: SELECT * FROM secret_prices');
  }
  async whoRuns(): Promise<string> {
    return currentModule();
  }
}

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-01`;

/** What Nest's NatsContext hands a handler: the request's MsgHdrs. */
function natsContext(entries: Record<string, string>) {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(entries)) h.set(name, value);
  return { getHeaders: () => h, getSubject: () => 'subject' };
}

let telemetry: TestTelemetry;
beforeAll(() => {
  // The failing call's error is logged in full where it ran; not wanted in this test's output.
  Logger.overrideLogger(false);
  telemetry = startTestTelemetry();
});
afterAll(async () => {
  Logger.overrideLogger(['log', 'error', 'warn']);
  await telemetry.stop();
});
beforeEach(() => telemetry.reset());

describe('the serving side of a facade call', () => {
  const handle = facadeCallHandler({ module: 'catalog', facade: CatalogFacade, instance: new Catalog() });

  it('continues the caller trace in a SERVER span, running the method in the serving module', async () => {
    const reply = await handle({ method: 'whoRuns', args: [] }, natsContext({ traceparent: TRACEPARENT, [CALLER_HEADER]: 'orders' }));
    expect(reply).toEqual({ ok: true, value: 'catalog' });
    const [span] = telemetry.spans();
    expect(span.name).toBe('CatalogFacade.whoRuns');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(PARENT_TRACE);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_SPAN);
    expect(span.attributes).toEqual({ 'modulith.module': 'catalog', 'modulith.caller': 'orders', 'modulith.facade': 'CatalogFacade', 'modulith.method': 'whoRuns' });
  });

  it('counts the served call in the facade metrics, once, with its outcome', async () => {
    await handle({ method: 'price', args: ['abc'] }, natsContext({ [CALLER_HEADER]: 'shipping' }));
    const points = (await telemetry.metrics())
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
      .filter((metric) => metric.descriptor.name === 'modulith.facade.calls')
      .flatMap((metric) => metric.dataPoints as Array<{ value: unknown; attributes: Record<string, unknown> }>)
      .filter((point) => point.attributes['modulith.caller'] === 'shipping');
    expect(points).toEqual([expect.objectContaining({ value: 1, attributes: expect.objectContaining({ 'modulith.module': 'catalog', 'modulith.method': 'price', 'modulith.outcome': 'ok' }) })]);
  });

  it.each([
    ['a caller that is no module name', { traceparent: TRACEPARENT, [CALLER_HEADER]: 'x"; DROP TABLE users; --' }, true],
    ['a malformed traceparent', { traceparent: '00-zzzz-yyyy-01', [CALLER_HEADER]: 'orders' }, false],
    ['an oversized traceparent', { traceparent: `${TRACEPARENT}${'0'.repeat(2000)}`, [CALLER_HEADER]: 'orders' }, false],
    ['no headers at all (an older peer)', {}, false],
  ])('takes %s as no trace context or an unknown caller', async (_, entries, keepsTrace) => {
    await handle({ method: 'price', args: ['abc'] }, natsContext(entries));
    const [span] = telemetry.spans();
    expect(span.spanContext().traceId === PARENT_TRACE).toBe(keepsTrace);
    if (!keepsTrace) expect(span.parentSpanContext).toBeUndefined();
    const caller = span.attributes['modulith.caller'];
    expect(caller).toBe((entries as Record<string, string>)[CALLER_HEADER] === 'orders' ? 'orders' : 'unknown');
  });

  it('marks a failed call ERROR with what crossed the wire: no stack, no SQL', async () => {
    const reply = await handle({ method: 'fail', args: [] }, natsContext({ traceparent: TRACEPARENT }));
    expect(reply.ok).toBe(false);
    const [span] = telemetry.spans();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    const recorded = JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status });
    expect(recorded).not.toMatch(/SELECT|secret_prices|\bat \S+:\d+/);
  });
});

describe('the calling side of a facade call', () => {
  it('records a CLIENT span with the calling module and sends its context in the headers', async () => {
    let sent: Record<string, string> | undefined;
    const broker = {
      options: { namespace: 'test' },
      contracts: undefined,
      // What BrokerClient.request puts in the headers (trace-headers.ts), read where it reads them.
      request: async () => {
        sent = { ...injectTraceContext(), [CALLER_HEADER]: currentModule() };
        return { ok: true, value: 3 };
      },
    } as unknown as BrokerClient;
    const catalog = remoteFacade<CatalogFacade>('catalog', CatalogFacade, broker);
    expect(await runInModule('orders', () => catalog.price('abc'))).toBe(3);
    const [span] = telemetry.spans();
    expect(span.name).toBe('CatalogFacade.price');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({ 'modulith.module': 'catalog', 'modulith.caller': 'orders', 'modulith.facade': 'CatalogFacade', 'modulith.method': 'price' });
    expect(sent?.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(sent?.[CALLER_HEADER]).toBe('orders');
  });
});

describe('a forwarded HTTP request replayed', () => {
  it('runs the app handler in the trace of the replay, in place of the client traceparent, without the http instrumentation', async () => {
    let seen: { traceId?: string; header?: unknown } = {};
    let parent: string | undefined;
    const replayer = new LoopbackReplayer(() => (req, res) => {
      seen = { traceId: trace.getSpan(context.active())?.spanContext().traceId, header: req.headers.traceparent };
      res.end('ok');
    });
    try {
      const answer = await inSpan('replay', { kind: SpanKind.SERVER, attributes: {} }, async (span) => {
        parent = span.spanContext().spanId;
        return replayer.handle({ method: 'GET', url: '/catalog/items', headers: { traceparent: TRACEPARENT } });
      });
      expect(answer.status).toBe(200);
      const [replay] = telemetry.spans();
      expect(seen.traceId).toBe(replay.spanContext().traceId);
      expect(seen.header).toBe(`00-${replay.spanContext().traceId}-${parent}-01`);
    } finally {
      await replayer.close();
    }
  });
});
