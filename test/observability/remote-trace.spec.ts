// @modulith-covers observability, remote, events
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestTelemetry, type TestTelemetry } from '../support/otel.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../support/services.js';
import { createAccount, startTestApp, submitJob, waitForJob, type TestApp } from '../support/test-app.js';

// The acceptance: media runs in a process of its own (app/main.ts with its SDK exporting
// OTLP/JSON to a receiver here), the rest in this process (an in-memory SDK). A job submitted here
// is forwarded to media, which charges it through billing's facade back here, and its completion
// event is relayed here: each hop continues the trace of the hop before, across both processes,
// including the media job runner's background work on the job.

const OTLP_SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4 } as const;

const targets = (await databaseTargets()).filter((target) => target.name === 'postgres');

describeOnDatabases('one trace across the monolith and the media process', targets, (target) => {
  let telemetry: TestTelemetry;
  let receiver: OtlpReceiver;
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    telemetry = startTestTelemetry();
    receiver = await OtlpReceiver.start();
    database = await target.provision();
    app = await startTestApp(database.config, {
      topology: 'remote',
      mediaEnv: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_SERVICE_NAME: '',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await receiver?.close();
    await telemetry?.stop();
  }, 120_000);

  it('links the forward, the replay, the remote facade calls and the relayed event', async () => {
    const account = await createAccount(app);
    const job = await submitJob(app, account.apiKey, 'a traced lighthouse');
    await waitForJob(app, job.id);

    // Here: the gateway's CLIENT span of the forwarded submission.
    const forward = await eventually(() => telemetry.spans().find((s) => s.name === 'forward POST /media'));
    expect(forward.kind).toBe(SpanKind.CLIENT);
    expect(forward.attributes['modulith.module']).toBe('media');
    const traceId = forward.spanContext().traceId;

    // There: the replay continues it, and the replayed request's HTTP server span sits under the replay.
    const replay = await eventually(() => receiver.spans().find((s) => s.name === 'replay POST /media' && s.traceId === traceId));
    expect(replay).toMatchObject({ service: 'modulith-media', kind: OTLP_SPAN_KIND.server, parentSpanId: forward.spanContext().spanId });
    expect(replay.attributes['modulith.module']).toBe('media');
    const http = await eventually(() => receiver.spans().find((s) => s.parentSpanId === replay.spanId && s.attributes['http.request.method'] === 'POST'));
    expect(http.traceId).toBe(traceId);

    // There: media charges the job through billing's facade (a CLIENT span); here its SERVER span, child of that one.
    const charge = await eventually(() => receiver.spans().find((s) => s.name === 'BillingFacade.charge' && s.kind === OTLP_SPAN_KIND.client && s.traceId === traceId));
    expect(charge.attributes).toMatchObject({ 'modulith.module': 'billing', 'modulith.caller': 'media', 'modulith.facade': 'BillingFacade', 'modulith.method': 'charge' });
    const served = await eventually(() => telemetry.spans().find((s) => s.name === 'BillingFacade.charge' && s.kind === SpanKind.SERVER));
    expect(served.spanContext().traceId).toBe(traceId);
    expect(parentOf(served)).toBe(charge.spanId);
    expect(served.attributes).toMatchObject({ 'modulith.module': 'billing', 'modulith.caller': 'media', 'modulith.facade': 'BillingFacade', 'modulith.method': 'charge' });
    // The API key guard's call of accounts' facade, made there, is served here in the same trace.
    const authenticate = await eventually(() => telemetry.spans().find((s) => s.name === 'AccountsFacade.authenticate' && s.kind === SpanKind.SERVER && s.spanContext().traceId === traceId));
    expect(authenticate.attributes['modulith.caller']).toBeDefined();

    // The completion event, published there, is delivered here within the trace of its publication.
    const published = await eventually(() => receiver.spans().find((s) => s.name === 'publish media.job.completed' && s.kind === OTLP_SPAN_KIND.producer));
    const delivered = await eventually(() => telemetry.spans().find((s) => s.name === 'deliver media.job.completed'));
    expect(delivered.spanContext().traceId).toBe(published.traceId);
    expect(parentOf(delivered)).toBe(published.spanId);
    expect(delivered.attributes['modulith.event.name']).toBe('media.job.completed');
  });

  // The media job runner works in the background, yet it continues the trace of the request that
  // submitted the job (stored with the job's row): its completion is not a trace of its own.
  it('a job submitted to the monolith and completed in the extracted media process is one trace', async () => {
    telemetry.reset();
    const account = await createAccount(app);
    const job = await submitJob(app, account.apiKey, 'one trace, submission to delivery');
    await waitForJob(app, job.id);

    // Here: the gateway forwarding the submission; its trace is the one everything below belongs to.
    const forward = await eventually(() => telemetry.spans().find((s) => s.name === 'forward POST /media'));
    const traceId = forward.spanContext().traceId;

    // There: the submission charged the job through billing's facade (CLIENT), served here (SERVER).
    const charge = await eventually(() => receiver.spans().find((s) => s.name === 'BillingFacade.charge' && s.kind === OTLP_SPAN_KIND.client && s.traceId === traceId));
    const served = await eventually(() => telemetry.spans().find((s) => s.name === 'BillingFacade.charge' && s.kind === SpanKind.SERVER && parentOf(s) === charge.spanId));
    expect(served.spanContext().traceId).toBe(traceId);

    // There: the runner's work on the job, in the background, continues the submitting request's trace.
    const work = await eventually(() => receiver.spans().find((s) => s.name === 'media.job' && s.attributes['modulith.media.job_id'] === job.id));
    expect(work).toMatchObject({ service: 'modulith-media', kind: OTLP_SPAN_KIND.internal, traceId });
    expect(work.attributes['modulith.module']).toBe('media');
    expect(work.parentSpanId).toBeDefined();

    // There: the completion event, published by the job's work; here: its deliveries, in the same trace.
    const published = await eventually(() =>
      receiver.spans().find((s) => s.name === 'publish media.job.completed' && s.kind === OTLP_SPAN_KIND.producer && s.parentSpanId === work.spanId),
    );
    expect(published.traceId).toBe(traceId);
    const eventId = published.attributes['modulith.event.id'];
    const delivered = await eventually(() => telemetry.spans().find((s) => s.name === 'deliver media.job.completed' && s.attributes['modulith.event.id'] === eventId));
    expect(delivered.spanContext().traceId).toBe(traceId);
    expect(parentOf(delivered)).toBe(published.spanId);

    // One trace id across both processes, from the forward to every delivery of the completion.
    const spans = [forward.spanContext().traceId, charge.traceId, served.spanContext().traceId, work.traceId, published.traceId];
    spans.push(...telemetry.spans().filter((s) => s.attributes['modulith.event.id'] === eventId).map((s) => s.spanContext().traceId));
    expect(new Set(spans)).toEqual(new Set([traceId]));
  });
});

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Polls until `find` returns a value (spans arrive after the work that made them, the media process's in batches). */
async function eventually<T>(find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not found within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

