// @modulith-covers events
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { headers } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { eventFingerprint, renderContract } from 'nest-modulith';
import { EventPublicationRegistry, EventPublisher, RELAY_HEADERS, relayNames } from 'nest-modulith/events';
import type { TempProject } from '../core/temp-project.js';
import { eventsProject, OrderPlaced, seen, type Database as Db } from './fixtures.js';
import { freshSchema } from './postgres.js';
import { bootRelayApp, connected, deleteStream, GROUP_A, GROUP_B, natsClient, natsUnavailable, settled, skipOrFail, uniqueNamespace, until } from './relay-fixtures.js';

// Contract skew of relayed events: A publishes `orders.order.placed` built from one module.api.md
// of `orders`, B (hosting the `invoicing` listener) imports it built from another. Real NATS
// JetStream, A on SQLite, B on PostgreSQL when it is reachable (SQLite otherwise).

const unavailable = await natsUnavailable();

const V1 = 'orders.order.placed@1 { orderId: string; total: number }';
/** V1 plus an optional field: compatible for a listener built against V1. */
const V1_OPTIONAL = 'orders.order.placed@1 { currency?: string; orderId: string; total: number }';
/** V1 with `total` removed: breaking for a listener built against V1. */
const V1_NO_TOTAL = 'orders.order.placed@1 { orderId: string }';

const contractOf = (entry: string) =>
  renderContract({ module: 'orders', exports: [], facades: [], publishes: [{ key: 'orders.order.placed@1', text: entry }], listens: [], routes: [] });

/** The fixture project with `orders`' module.api.md holding `entry` (none when undefined). */
function projectWith(entry: string | undefined): TempProject {
  const project = eventsProject();
  if (entry) project.write({ 'modules/orders/module.api.md': contractOf(entry) });
  return project;
}

type Opened = { database: Db; cleanup(): Promise<void> };
const sqlite = async (): Promise<Opened> => {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-relay-contract-'));
  return { database: { type: 'better-sqlite3', database: join(dir, 'db.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
};
const postgresOrSqlite = async (): Promise<Opened> => {
  const schema = await freshSchema('relay-contract');
  return schema ? { database: { type: 'postgres', url: schema.url, schema: schema.schema }, cleanup: schema.drop } : sqlite();
};

const runs = (listener: string, orderId?: string) => seen.filter((s) => s.listener === listener && (orderId === undefined || s.orderId === orderId));

describe('event relay: contract skew between the publisher and the listeners', () => {
  const skip = skipOrFail(unavailable);
  let namespace: string;
  let a: Opened;
  let b: Opened;
  let nats: Awaited<ReturnType<typeof natsClient>>;
  const projects: TempProject[] = [];
  const apps: INestApplication[] = [];
  const logs: Array<{ level: string; message: string }> = [];
  const at = (level: string, pattern: RegExp) => logs.filter((l) => l.level === level && pattern.test(l.message)).map((l) => l.message);

  beforeAll(async () => {
    if (!skip) nats = await natsClient();
  });
  afterAll(async () => {
    await nats?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    seen.length = 0;
    logs.length = 0;
    for (const level of ['error', 'warn', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => void logs.push({ level, message: String(message) }));
    }
    namespace = uniqueNamespace();
    a = await sqlite();
    b = await postgresOrSqlite();
  });
  afterEach(async () => {
    if (skip) return;
    for (const app of apps.splice(0)) await app.close();
    jest.restoreAllMocks();
    await deleteStream(namespace);
    await a.cleanup();
    await b.cleanup();
    for (const project of projects.splice(0)) project.dispose();
  });

  async function boot(origin: 'a' | 'b', entry: string | undefined): Promise<INestApplication> {
    const project = projectWith(entry);
    projects.push(project);
    const app = await bootRelayApp({ project, database: (origin === 'a' ? a : b).database, modules: origin === 'a' ? GROUP_A : GROUP_B, namespace, origin });
    apps.push(app);
    await connected(app);
    return app;
  }
  const both = (appA: INestApplication, appB: INestApplication) => [
    { app: appA, origin: 'a' },
    { app: appB, origin: 'b' },
  ];
  const skewLines = () => logs.filter((l) => /contract skew|Modulith-Contract|without a contract check/.test(l.message) && l.level !== 'debug');

  it('relays the fingerprint of the publisher’s entry, and B imports events of the same contract without a word', async () => {
    if (skip) return;
    const [appA, appB] = [await boot('a', V1), await boot('b', V1)];
    const [eventId] = await appA.get(EventPublisher).publish(new OrderPlaced('o-same', 1));
    await until(() => runs('invoicing.invoice-order', 'o-same').length === 1, 20_000, 'the event in B');
    await until(() => settled(nats.jsm, namespace, both(appA, appB)), 20_000, 'relay to settle');

    const names = relayNames(namespace, 'a');
    const stored = await nats.jsm.streams.getMessage(names.stream, { last_by_subj: names.subjectOf('orders.order.placed') });
    expect(stored!.header.get(RELAY_HEADERS.eventId)).toBe(eventId);
    expect(stored!.header.get('Modulith-Contract')).toBe(eventFingerprint({ text: V1 }));
    expect(stored!.header.get('Modulith-Contract-Entry')).toBe(V1);
    expect(skewLines()).toEqual([]);
  }, 60_000);

  it('imports events of a compatible contract (an added optional field) and warns once', async () => {
    if (skip) return;
    const [appA, appB] = [await boot('a', V1_OPTIONAL), await boot('b', V1)];
    await appA.get(EventPublisher).publish(new OrderPlaced('o-compat-1', 1));
    await appA.get(EventPublisher).publish(new OrderPlaced('o-compat-2', 2));
    await until(() => runs('invoicing.invoice-order').length === 2, 20_000, 'both events in B');
    await until(() => settled(nats.jsm, namespace, both(appA, appB)), 20_000, 'relay to settle');

    const warnings = at('warn', /contract skew on orders\.order\.placed@1/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(eventFingerprint({ text: V1 }));
    expect(warnings[0]).toContain(eventFingerprint({ text: V1_OPTIONAL }));
    expect(warnings[0]).toMatch(/currency/);
    expect(at('error', /contract/)).toEqual([]);
  }, 60_000);

  it('refuses events of a breaking contract, runs no listener, and imports them once B is redeployed from the publisher’s contract', async () => {
    if (skip) return;
    const appA = await boot('a', V1_NO_TOTAL);
    let appB = await boot('b', V1);
    const [eventId] = await appA.get(EventPublisher).publish(new OrderPlaced('o-breaking', 1));
    await until(() => at('error', /refusing to import contract skew on orders\.order\.placed@1/).length > 0, 20_000, 'B to refuse the event');
    const names = relayNames(namespace, 'b');
    await until(async () => (await nats.jsm.consumers.info(names.stream, names.durable)).num_redelivered > 0, 30_000, 'B to refuse it again on redelivery');

    expect(runs('invoicing.invoice-order')).toEqual([]);
    expect(await appB.get(EventPublicationRegistry).inspect(eventId)).toEqual([]);
    const errors = at('error', /contract skew/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(eventFingerprint({ text: V1 }));
    expect(errors[0]).toContain(eventFingerprint({ text: V1_NO_TOTAL }));
    expect(errors[0]).toMatch(/breaking changes: .*total/);
    expect(errors[0]).toContain('deploy the publisher and its listeners from the same contract');

    // B redeployed, built from the contract A publishes: the message is offered again and imported.
    await appB.close();
    apps.splice(apps.indexOf(appB), 1);
    appB = await boot('b', V1_NO_TOTAL);
    await until(() => runs('invoicing.invoice-order', 'o-breaking').length === 1, 30_000, 'the redeployed B to import the event');
    await until(() => settled(nats.jsm, namespace, both(appA, appB)), 30_000, 'relay to settle');
    expect(runs('invoicing.invoice-order').map((s) => s.eventId)).toEqual([eventId]);
  }, 90_000);

  it('imports unchecked when B has no module.api.md of the publisher (debug only), and when A sends no fingerprint', async () => {
    if (skip) return;
    const [appA, appB] = [await boot('a', V1_NO_TOTAL), await boot('b', undefined)];
    await appA.get(EventPublisher).publish(new OrderPlaced('o-no-contract', 1));
    await until(() => runs('invoicing.invoice-order', 'o-no-contract').length === 1, 20_000, 'the event in B');
    await until(() => settled(nats.jsm, namespace, both(appA, appB)), 20_000, 'relay to settle');
    expect(at('debug', /orders\.order\.placed@1 is imported unchecked: this build has no module\.api\.md entry/)).toHaveLength(1);

    // The other way round: a publisher built without contracts sends no header; B (with V1) imports.
    await appB.close();
    apps.splice(apps.indexOf(appB), 1);
    await appA.close();
    apps.splice(apps.indexOf(appA), 1);
    const [appA2, appB2] = [await boot('a', undefined), await boot('b', V1)];
    await appA2.get(EventPublisher).publish(new OrderPlaced('o-no-header', 2));
    await until(() => runs('invoicing.invoice-order', 'o-no-header').length === 1, 20_000, 'the header-less event in B');
    await until(() => settled(nats.jsm, namespace, both(appA2, appB2)), 20_000, 'relay to settle');
    expect(at('debug', /carries no Modulith-Contract header/)).toHaveLength(1);
    expect(skewLines()).toEqual([]);
  }, 90_000);

  it('refuses hostile contract headers (repeated, oversized, not hex) without a crash, and goes on importing', async () => {
    if (skip) return;
    const appB = await boot('b', V1);
    const js = jetstream(nats.nc);
    const names = relayNames(namespace, 'x');
    const send = async (orderId: string, contract: string[]) => {
      const h = headers();
      h.set(RELAY_HEADERS.origin, 'x');
      h.set(RELAY_HEADERS.eventId, `evt-${orderId}`);
      h.set(RELAY_HEADERS.eventName, 'orders.order.placed');
      h.set(RELAY_HEADERS.eventVersion, '1');
      h.set(RELAY_HEADERS.publishedAt, String(Date.now()));
      for (const value of contract) h.append('Modulith-Contract', value);
      await js.publish(names.subjectOf('orders.order.placed'), JSON.stringify({ orderId, total: 1 }), { headers: h });
    };
    const own = eventFingerprint({ text: V1 });
    await send('o-repeated', [own, own]);
    await send('o-oversized', ['a'.repeat(16 * 1024)]);
    await send('o-not-hex', ['0123456789ABCDEF']);
    await send('o-fine', [own]);
    await until(() => runs('invoicing.invoice-order', 'o-fine').length === 1, 20_000, 'the well-formed event in B');
    const b = relayNames(namespace, 'b');
    await until(async () => {
      const info = await nats.jsm.consumers.info(b.stream, b.durable);
      return info.num_pending + info.num_ack_pending === 0;
    }, 20_000, 'B to settle every message');

    expect(runs('invoicing.invoice-order').map((s) => s.orderId)).toEqual(['o-fine']);
    for (const id of ['evt-o-repeated', 'evt-o-oversized', 'evt-o-not-hex']) expect(await appB.get(EventPublicationRegistry).inspect(id)).toEqual([]);
    const refusals = at('error', /refusing event evt-o-.* \(orders\.order\.placed@1\) from origin 'x'/);
    // Logged once per event, origin and kind of damage.
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toContain('sent 2 times');
    expect(refusals[1]).toContain('is not one contract fingerprint of 16 lowercase hex digits (16384 characters)');
  }, 60_000);
});
