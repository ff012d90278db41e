// @modulith-covers observability, events, runtime
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { trace } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { EventPublisher, OutboxDispatcher, OutboxStore } from 'nest-modulith/events';
import { BillingFacade, bootApp, LedgerFacade, observabilityProject, OrderPlaced, OrdersFacade, request } from './module-fixtures.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('without an OpenTelemetry SDK', () => {
  it('facade calls, HTTP, publication and delivery work and store no trace context', async () => {
    // Nothing registered: the API hands out no-op tracers and meters.
    expect(trace.getTracer('x').startSpan('probe').isRecording()).toBe(false);
    const project = observabilityProject();
    const dir = mkdtempSync(join(tmpdir(), 'modulith-otel-none-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => project.dispose());
    const app: INestApplication = await bootApp(project, join(dir, 'app.sqlite'));
    cleanups.push(() => app.close());

    // No wrapper at all: the facade token resolves to the implementation instance (a plain method call).
    expect(app.get(BillingFacade).constructor.name).toBe('BillingService');
    expect(await app.get(BillingFacade).charge('o-1', 2)).toBe(2);
    expect(app.get(LedgerFacade).balance()).toBe(2);
    await expect(app.get(BillingFacade).refuse('o-2')).rejects.toThrow('payment for o-2 refused');
    expect(await request(app, 'POST', '/orders/o-3')).toEqual({ total: 7 });
    await app.get(OrdersFacade).place('o-4', 1);
    await app.get(EventPublisher).publish(new OrderPlaced('o-5', 1));
    await app.get(OutboxDispatcher).drain();

    expect(await app.get(OutboxStore).count('pending')).toBe(0);
    expect(await app.get(OutboxStore).count('completed')).toBe(2);
    const rows: Array<{ trace_context: string | null }> = await app.get<DataSource>(getDataSourceToken()).query('SELECT trace_context FROM modulith_events');
    expect(rows).toEqual([{ trace_context: null }, { trace_context: null }]);
  });
});
