// @modulith-covers events
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { EventPublicationRegistry, EventPublisher, Inbox, ListenerVerificationError, OutboxDispatcher, OutboxStore } from 'nest-modulith/events';
import type { TempProject } from '../core/temp-project.js';
import { bootEvents, eventsProject, failures, OrderPlaced, seen, type Database } from './fixtures.js';
import { freshSchema } from './postgres.js';

type Target = { name: string; open(): Promise<{ database: Database; cleanup(): Promise<void> } | null> };

const targets: Target[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'modulith-outbox-'));
      return { database: { type: 'better-sqlite3', database: join(dir, 'db.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = await freshSchema('outbox');
      return schema && { database: { type: 'postgres', url: schema.url, schema: schema.schema }, cleanup: schema.drop };
    },
  },
];

describe.each(targets)('transactional outbox on $name', (target) => {
  let project: TempProject;
  let database: Database | undefined;
  let cleanup: () => Promise<void> = async () => undefined;
  const apps: INestApplication[] = [];

  beforeEach(async () => {
    seen.length = 0;
    failures.clear();
    project = eventsProject();
    const opened = await target.open();
    database = opened?.database;
    if (opened) cleanup = opened.cleanup;
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await cleanup();
    project.dispose();
  });

  async function boot(events = {}): Promise<INestApplication | undefined> {
    if (!database) return undefined;
    const app = await bootEvents({ project, database, events });
    apps.push(app);
    return app;
  }

  it('delivers an event published in a committed transaction to every listener, once', async () => {
    const app = await boot();
    if (!app) return;
    const publisher = app.get(EventPublisher);
    const [eventId] = await publisher.transaction(async (_manager, publish) => publish(new OrderPlaced('o-1', 30)));
    expect(await app.get(OutboxDispatcher).drain()).toBe(2);
    expect(seen.map((s) => [s.listener, s.orderId, s.eventId, s.attempt]).sort()).toEqual([
      ['audit.record-order', 'o-1', eventId, 1],
      ['invoicing.invoice-order', 'o-1', eventId, 1],
    ]);
    expect(await app.get(OutboxDispatcher).drain()).toBe(0);
    expect(await app.get(EventPublicationRegistry).counts()).toEqual({ pending: 0, completed: 2, failed: 0 });
  });

  it('writes nothing when the publishing transaction rolls back', async () => {
    const app = await boot();
    if (!app) return;
    await expect(
      app.get(EventPublisher).transaction(async (_manager, publish) => {
        await publish(new OrderPlaced('o-2', 1));
        throw new Error('business rule broken');
      }),
    ).rejects.toThrow('business rule broken');
    expect(await app.get(OutboxDispatcher).drain()).toBe(0);
    expect(seen).toEqual([]);
  });

  it('retries a failing listener with the same event id until it succeeds', async () => {
    const app = await boot();
    if (!app) return;
    failures.set('o-3', 2);
    const [eventId] = await app.get(EventPublisher).publish(new OrderPlaced('o-3', 5));
    const dispatcher = app.get(OutboxDispatcher);
    for (let round = 0; round < 20 && seen.filter((s) => s.listener === 'invoicing.invoice-order').length < 3; round++) {
      await dispatcher.drain();
      await new Promise((r) => setTimeout(r, 10));
    }
    const invoicing = seen.filter((s) => s.listener === 'invoicing.invoice-order');
    expect(invoicing.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(new Set(invoicing.map((s) => s.eventId))).toEqual(new Set([eventId]));
    expect(await app.get(EventPublicationRegistry).counts()).toEqual({ pending: 0, completed: 2, failed: 0 });
  });

  it('marks a delivery failed with its error after maxAttempts, without blocking others, and resubmits it', async () => {
    const app = await boot({ maxAttempts: 3 });
    if (!app) return;
    failures.set('o-4', -1);
    const publisher = app.get(EventPublisher);
    await publisher.publish([new OrderPlaced('o-4', 1), new OrderPlaced('o-5', 2)]);
    const dispatcher = app.get(OutboxDispatcher);
    const registry = app.get(EventPublicationRegistry);
    for (let round = 0; round < 30 && (await registry.counts()).pending > 0; round++) {
      await dispatcher.drain();
      await new Promise((r) => setTimeout(r, 10));
    }
    const [failed] = await registry.failed();
    expect(failed).toMatchObject({ listener: 'invoicing.invoice-order', status: 'failed', attempts: 3, eventName: 'orders.order.placed' });
    expect(failed.lastError).toBe('Error: invoicing is down for o-4');
    expect(JSON.parse(failed.payload)).toEqual({ orderId: 'o-4', total: 1 });
    expect(await registry.counts()).toEqual({ pending: 0, completed: 3, failed: 1 });

    failures.delete('o-4');
    expect(await registry.resubmit([failed.eventId])).toBe(1);
    await dispatcher.drain();
    expect(await registry.counts()).toEqual({ pending: 0, completed: 4, failed: 0 });
    expect(seen.filter((s) => s.orderId === 'o-4' && s.listener === 'invoicing.invoice-order').map((s) => s.attempt)).toEqual([1, 2, 3, 1]);
  });

  it('fails an event that cannot be decoded, visibly, and keeps delivering the others', async () => {
    const app = await boot();
    if (!app) return;
    const [badId] = await app.get(EventPublisher).publish(new OrderPlaced('o-6', 1));
    await app.get(EventPublisher).publish(new OrderPlaced('o-7', 1));
    const store = app.get(OutboxStore);
    await app.get<DataSource>(getDataSourceToken()).query(
      `UPDATE ${store.events} SET payload = '{not json' WHERE id = ${database!.type === 'postgres' ? '$1' : '?'}`,
      [badId],
    );
    await app.get(OutboxDispatcher).drain();
    const failed = await app.get(EventPublicationRegistry).failed();
    expect(failed).toHaveLength(2);
    expect(failed.every((f) => f.eventId === badId && f.attempts === 1 && /^cannot decode event/.test(f.lastError ?? ''))).toBe(true);
    expect(seen.map((s) => s.orderId)).toEqual(['o-7', 'o-7']);
  });

  it('takes over a delivery whose claim expired (its process died)', async () => {
    const app = await boot({ leaseMs: 50 });
    if (!app) return;
    await app.get(EventPublisher).publish(new OrderPlaced('o-8', 1));
    const store = app.get(OutboxStore);
    const stolen = await store.claim('dead-instance', Date.now(), 50, 10);
    expect(stolen).toHaveLength(2);
    expect(await app.get(OutboxDispatcher).drain()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(await app.get(OutboxDispatcher).drain()).toBe(2);
    // The dead instance's late completion must not touch deliveries it no longer holds.
    await store.complete(stolen.map((s) => s.id), 'dead-instance', Date.now(), 'keep');
    expect(seen.map((s) => s.attempt)).toEqual([2, 2]);
    expect(await app.get(EventPublicationRegistry).counts()).toEqual({ pending: 0, completed: 2, failed: 0 });
  });

  it.each(['delete', 'archive'] as const)('in %s completion mode removes completed rows from the hot table', async (completion) => {
    const app = await boot({ completion });
    if (!app) return;
    await app.get(EventPublisher).publish(new OrderPlaced('o-9', 1));
    await app.get(OutboxDispatcher).drain();
    const store = app.get(OutboxStore);
    const ds = app.get<DataSource>(getDataSourceToken());
    const count = async (table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    expect(await count(store.deliveries)).toBe(0);
    expect(await count(store.events)).toBe(0);
    expect(await count(store.archive)).toBe(completion === 'archive' ? 2 : 0);
  });

  it('purges completed deliveries older than the retention', async () => {
    const app = await boot();
    if (!app) return;
    await app.get(EventPublisher).publish(new OrderPlaced('o-10', 1));
    await app.get(OutboxDispatcher).drain();
    const registry = app.get(EventPublicationRegistry);
    expect(await registry.purgeCompleted(60_000)).toBe(0);
    expect(await registry.purgeCompleted(-1)).toBe(2);
    expect(await registry.counts()).toEqual({ pending: 0, completed: 0, failed: 0 });
  });

  it('inbox.once runs a listener effect once per event, even when redelivered', async () => {
    const app = await boot();
    if (!app) return;
    const inbox = app.get(Inbox);
    let runs = 0;
    const delivery = { eventId: '7d3c4c8e-0000-4000-8000-000000000001', listener: 'billing.refund' };
    expect(await inbox.once(delivery, async () => void runs++)).toBe(true);
    expect(await inbox.once(delivery, async () => void runs++)).toBe(false);
    expect(await inbox.once({ ...delivery, listener: 'other' }, async () => void runs++)).toBe(true);
    await expect(inbox.once({ ...delivery, eventId: '7d3c4c8e-0000-4000-8000-000000000002' }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    // The failed attempt left no inbox record, so the redelivery runs the work.
    expect(await inbox.once({ ...delivery, eventId: '7d3c4c8e-0000-4000-8000-000000000002' }, async () => void runs++)).toBe(true);
    expect(runs).toBe(3);
  });

  it('delivers on its own once started: a publish wakes the dispatcher', async () => {
    const app = await boot({ dispatch: true, pollMs: 10_000 });
    if (!app) return;
    await app.get(EventPublisher).publish(new OrderPlaced('o-11', 1));
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(2);
  });
});

describe('listener boundaries', () => {
  it('refuses to start when a listener handles events of a module its module does not depend on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modulith-outbox-'));
    const project = eventsProject(false);
    try {
      await expect(bootEvents({ project, database: { type: 'better-sqlite3', database: join(dir, 'db.sqlite') } })).rejects.toThrow(ListenerVerificationError);
      await expect(bootEvents({ project, database: { type: 'better-sqlite3', database: join(dir, 'db.sqlite') } })).rejects.toThrow(
        /audit: listener 'audit.record-order' handles 'orders.order.placed' of module 'orders', which modules\/audit\/module.json does not declare/,
      );
    } finally {
      project.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
