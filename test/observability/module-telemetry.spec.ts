// @modulith-covers observability, events, runtime
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventPublisher, OutboxDispatcher, OutboxStore, runTransaction } from 'nest-modulith/events';
import { startTestTelemetry, type TestTelemetry } from '../support/otel.js';
import type { TempProject } from '../core/temp-project.js';
import {
  BillingFacade,
  bootApp,
  failures,
  LedgerFacade,
  metricPoints,
  observabilityProject,
  OrderPlaced,
  OrdersFacade,
  request,
  spansNamed,
  sumWhere,
} from './module-fixtures.js';

let telemetry: TestTelemetry;
let project: TempProject;
let dir: string;
let database: string;
const apps: INestApplication[] = [];

beforeAll(() => {
  telemetry = startTestTelemetry();
});
afterAll(async () => {
  await telemetry.stop();
});
beforeEach(() => {
  telemetry.reset();
  failures.clear();
  project = observabilityProject();
  dir = mkdtempSync(join(tmpdir(), 'modulith-otel-'));
  database = join(dir, 'app.sqlite');
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(dir, { recursive: true, force: true });
  project.dispose();
});

async function boot(): Promise<INestApplication> {
  const app = await bootApp(project, database);
  apps.push(app);
  return app;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const only = (spans: ReadableSpan[], name: string) => {
  const found = spansNamed(spans, name);
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0]!;
};

/** The latest collection alone (the exporter's list grows with every collection). */
async function collectNow() {
  return (await telemetry.metrics()).slice(-1);
}

async function deliverAll(app: INestApplication): Promise<void> {
  const dispatcher = app.get(OutboxDispatcher);
  const store = app.get(OutboxStore);
  for (let round = 0; round < 50 && (await store.count('pending')) > 0; round++) {
    await dispatcher.drain();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('in-process facade calls', () => {
  it('are INTERNAL spans with module, caller, facade and method; a nested call is a child recording its caller', async () => {
    const app = await boot();
    expect(await app.get(BillingFacade).charge('o-1', 3)).toBe(3);
    const spans = telemetry.spans();
    const charge = only(spans, 'BillingFacade.charge');
    const record = only(spans, 'LedgerFacade.record');
    expect(charge.kind).toBe(SpanKind.INTERNAL);
    expect(charge.attributes).toEqual({ 'modulith.module': 'billing', 'modulith.caller': 'app', 'modulith.facade': 'BillingFacade', 'modulith.method': 'charge' });
    expect(record.attributes).toMatchObject({ 'modulith.module': 'ledger', 'modulith.caller': 'billing', 'modulith.facade': 'LedgerFacade', 'modulith.method': 'record' });
    expect(record.spanContext().traceId).toBe(charge.spanContext().traceId);
    expect(parentOf(record)).toBe(charge.spanContext().spanId);
  });

  it('keep the facade type and a synchronous method synchronous', async () => {
    const app = await boot();
    const ledger = app.get(LedgerFacade);
    expect(ledger).toBeInstanceOf(LedgerFacade);
    expect(ledger.balance()).toBe(0);
    expect(only(telemetry.spans(), 'LedgerFacade.balance').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('record a failure as an ERROR span with the exception name and message only', async () => {
    const app = await boot();
    await expect(app.get(BillingFacade).refuse('o-9')).rejects.toThrow('payment for o-9 refused');
    const refuse = only(telemetry.spans(), 'BillingFacade.refuse');
    expect(refuse.status.code).toBe(SpanStatusCode.ERROR);
    const exception = refuse.events.find((event) => event.name === 'exception');
    expect(exception?.attributes).toEqual({ 'exception.type': 'PaymentRefused', 'exception.message': 'payment for o-9 refused' });
  });

  it('made by a module controller over HTTP record that module as caller; the app shell records app', async () => {
    const app = await boot();
    expect(await request(app, 'POST', '/orders/o-2')).toEqual({ total: 5 });
    expect(await request(app, 'GET', '/shell/charge')).toEqual({ total: 6 });
    const callers = spansNamed(telemetry.spans(), 'BillingFacade.charge').map((span) => span.attributes['modulith.caller']);
    expect(callers).toEqual(['orders', 'app']);
    expect(spansNamed(telemetry.spans(), 'LedgerFacade.record').map((span) => span.attributes['modulith.caller'])).toEqual(['billing', 'billing']);
  });

  it('count calls and errors and time them', async () => {
    const app = await boot();
    // Metrics are cumulative over the file: compare with what the earlier tests left.
    const earlier = await collectNow();
    const grown = (name: string, match: Record<string, unknown>) => sumWhere(metricPoints(collected, name), match) - sumWhere(metricPoints(earlier, name), match);
    await app.get(BillingFacade).charge('o-1', 1);
    await app.get(BillingFacade).charge('o-2', 1);
    await expect(app.get(BillingFacade).refuse('o-3')).rejects.toThrow();
    const collected = await collectNow();
    const charge = { 'modulith.module': 'billing', 'modulith.caller': 'app', 'modulith.facade': 'BillingFacade' };
    expect(grown('modulith.facade.calls', { ...charge, 'modulith.method': 'charge', 'modulith.outcome': 'ok' })).toBe(2);
    expect(grown('modulith.facade.calls', { ...charge, 'modulith.method': 'refuse', 'modulith.outcome': 'error' })).toBe(1);
    expect(grown('modulith.facade.calls', { 'modulith.facade': 'LedgerFacade', 'modulith.caller': 'billing', 'modulith.outcome': 'ok' })).toBe(2);
    expect(grown('modulith.facade.duration', { ...charge, 'modulith.method': 'charge', 'modulith.outcome': 'ok' })).toBe(2);
  });
});

describe('events', () => {
  it('publication and delivery are one trace: deliver is a CONSUMER child of publish, the listener runs in its module', async () => {
    const app = await boot();
    const eventId = await app.get(OrdersFacade).place('o-1', 7);
    await deliverAll(app);
    const spans = telemetry.spans();
    const place = only(spans, 'OrdersFacade.place');
    const publish = only(spans, 'publish orders.order.placed');
    const deliver = only(spans, 'deliver orders.order.placed');
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.attributes).toMatchObject({ 'modulith.event.name': 'orders.order.placed', 'modulith.event.version': 1, 'modulith.event.id': eventId, 'modulith.module': 'orders' });
    expect(parentOf(publish)).toBe(place.spanContext().spanId);
    expect(deliver.kind).toBe(SpanKind.CONSUMER);
    expect(deliver.spanContext().traceId).toBe(publish.spanContext().traceId);
    expect(parentOf(deliver)).toBe(publish.spanContext().spanId);
    expect(deliver.attributes).toEqual({
      'modulith.event.name': 'orders.order.placed',
      'modulith.event.version': 1,
      'modulith.event.id': eventId,
      'modulith.listener': 'invoicing.invoice-order',
      'modulith.module': 'invoicing',
      'modulith.attempt': 1,
    });
    // The listener's facade call is a child of the delivery, called by the listener's module.
    const record = spansNamed(spans, 'LedgerFacade.record').find((span) => parentOf(span) === deliver.spanContext().spanId);
    expect(record?.attributes['modulith.caller']).toBe('invoicing');
  });

  it('a delivery after a restart continues the trace stored with the event', async () => {
    const first = await boot();
    await first.get(EventPublisher).publish(new OrderPlaced('o-5', 2));
    const publish = only(telemetry.spans(), 'publish orders.order.placed');
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await boot();
    await deliverAll(second);
    const deliver = only(telemetry.spans(), 'deliver orders.order.placed');
    expect(deliver.spanContext().traceId).toBe(publish.spanContext().traceId);
    expect(parentOf(deliver)).toBe(publish.spanContext().spanId);
  });

  it('a failing delivery is an ERROR span; deliveries are counted completed, retried and failed', async () => {
    const app = await boot();
    const earlier = await collectNow();
    failures.set('retry', 1);
    failures.set('broken', -1);
    const publisher = app.get(EventPublisher);
    await publisher.publish([new OrderPlaced('ok', 1), new OrderPlaced('retry', 1), new OrderPlaced('broken', 1)]);
    await deliverAll(app);
    const delivered = spansNamed(telemetry.spans(), 'deliver orders.order.placed');
    expect(delivered).toHaveLength(5); // ok; retry twice; broken twice (maxAttempts 2)
    expect(delivered.filter((span) => span.status.code === SpanStatusCode.ERROR)).toHaveLength(3);
    expect(delivered.map((span) => span.attributes['modulith.attempt']).sort()).toEqual([1, 1, 1, 2, 2]);
    const collected = await collectNow();
    const of = { 'modulith.module': 'invoicing', 'modulith.listener': 'invoicing.invoice-order', 'modulith.event.name': 'orders.order.placed' };
    const grown = (outcome: string) =>
      sumWhere(metricPoints(collected, 'modulith.deliveries'), { ...of, 'modulith.outcome': outcome }) -
      sumWhere(metricPoints(earlier, 'modulith.deliveries'), { ...of, 'modulith.outcome': outcome });
    expect(grown('completed')).toBe(2);
    expect(grown('retried')).toBe(2);
    expect(grown('failed')).toBe(1);
  });

  it('the backlog gauges report the pending deliveries per listener and their age', async () => {
    const app = await boot();
    await app.get(EventPublisher).publish([new OrderPlaced('a', 1), new OrderPlaced('b', 1)]);
    const listener = { 'modulith.listener': 'invoicing.invoice-order', 'modulith.module': 'invoicing' };
    let collected = await collectNow();
    expect(sumWhere(metricPoints(collected, 'modulith.outbox.backlog'), listener)).toBe(2);
    const [age] = metricPoints(collected, 'modulith.outbox.oldest_pending_age');
    expect(age?.attributes).toEqual(listener);
    expect(age?.value).toBeGreaterThanOrEqual(0);
    await deliverAll(app);
    collected = await collectNow();
    expect(sumWhere(metricPoints(collected, 'modulith.outbox.backlog'), listener)).toBe(0);
  });

  it('the gauges observe nothing, and do not throw, while the database is closed', async () => {
    const app = await boot();
    await app.get(EventPublisher).publish(new OrderPlaced('a', 1));
    await app.get<DataSource>(getDataSourceToken()).destroy();
    await expect(collectNow()).resolves.toHaveLength(1);
  });

  it('a relayed event imported with a carrier is delivered in the sender\'s trace; a hostile carrier entry is dropped', async () => {
    const app = await boot();
    const store = app.get(OutboxStore);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const now = Date.now();
    const event = {
      id: '0190c0de-0000-7000-8000-000000000001',
      name: 'orders.order.placed',
      version: 1,
      payload: JSON.stringify({ orderId: 'relayed', amount: 1 }),
      publishedAt: now,
      traceContext: { traceparent: `00-${traceId}-${parentId}-01`, 'bad key!': 'x', tracestate: 'a'.repeat(600) },
    };
    const deliveries = [{ id: '0190c0de-0000-7000-8000-000000000002', eventId: event.id, listener: 'invoicing.invoice-order', createdAt: now }];
    expect(await runTransaction(app.get<DataSource>(getDataSourceToken()), (manager) => store.importRelayed(manager, event, deliveries, now))).toBe(true);
    const [row] = await app.get<DataSource>(getDataSourceToken()).query('SELECT trace_context FROM modulith_events WHERE id = ?', [event.id]);
    expect(JSON.parse(row.trace_context)).toEqual({ traceparent: `00-${traceId}-${parentId}-01` });
    await deliverAll(app);
    const deliver = only(telemetry.spans(), 'deliver orders.order.placed');
    expect(deliver.spanContext().traceId).toBe(traceId);
    expect(parentOf(deliver)).toBe(parentId);
  });
});
