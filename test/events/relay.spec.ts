// @modulith-covers events
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { headers } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import Database from 'better-sqlite3';
import { EventPublicationRegistry, EventPublisher, RELAY_HEADERS, RELAY_LISTENER_ID, relayNames } from 'nest-modulith/events';
import type { TempProject } from '../core/temp-project.js';
import { eventsProject, failures, OrderPlaced, seen, type Database as Db } from './fixtures.js';
import { freshSchema } from './postgres.js';
import {
  bootRelayApp,
  connected,
  deleteStream,
  GROUP_A,
  GROUP_B,
  natsClient,
  natsUnavailable,
  OrderArchived,
  OrderPlacedV2,
  OwnNatsServer,
  settled,
  skipOrFail,
  uniqueNamespace,
  until,
} from './relay-fixtures.js';

// Two real Nest apps, each with its own database and origin, relay module events through a real
// NATS JetStream. A hosts the `audit` listener, B the `invoicing` listener of `orders.order.placed`.

const unavailable = await natsUnavailable();

type Opened = { database: Db; cleanup(): Promise<void> };
const sqlite = async (): Promise<Opened> => {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-relay-'));
  return { database: { type: 'better-sqlite3', database: join(dir, 'db.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
};
const postgres = async (): Promise<Opened | null> => {
  const schema = await freshSchema('relay');
  return schema && { database: { type: 'postgres', url: schema.url, schema: schema.schema }, cleanup: schema.drop };
};

const runs = (listener: string, orderId?: string) => seen.filter((s) => s.listener === listener && (orderId === undefined || s.orderId === orderId));

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
] as const)('event relay over NATS JetStream, B on %s', (_name, openB) => {
  const skip = skipOrFail(unavailable);
  let namespace: string;
  let project: TempProject;
  let a: Opened;
  let b: Opened | null;
  let nats: Awaited<ReturnType<typeof natsClient>>;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    if (!skip) nats = await natsClient();
  });
  afterAll(async () => {
    await nats?.close();
  });
  beforeEach(async () => {
    seen.length = 0;
    failures.clear();
    namespace = uniqueNamespace();
    project = eventsProject();
    a = await sqlite();
    b = skip ? null : await openB();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    if (!skip) await deleteStream(namespace);
    await a.cleanup();
    await b?.cleanup();
    project.dispose();
  });

  async function bootA(): Promise<INestApplication> {
    const app = await bootRelayApp({ project, database: a.database, modules: GROUP_A, namespace, origin: 'a' });
    apps.push(app);
    return app;
  }
  async function bootB(): Promise<INestApplication> {
    const app = await bootRelayApp({ project, database: b!.database, modules: GROUP_B, namespace, origin: 'b' });
    apps.push(app);
    return app;
  }
  const groups = (appA: INestApplication, appB: INestApplication) => [
    { app: appA, origin: 'a' },
    { app: appB, origin: 'b' },
  ];

  it('delivers an event published in A to the listener in B once, and to A’s own listener once', async () => {
    if (!b) return;
    const [appA, appB] = [await bootA(), await bootB()];
    await Promise.all([connected(appA), connected(appB)]);

    const [fromA] = await appA.get(EventPublisher).publish(new OrderPlaced('o-1', 30));
    const [fromB] = await appB.get(EventPublisher).publish(new OrderPlaced('o-2', 40));
    await until(() => runs('invoicing.invoice-order').length === 2 && runs('audit.record-order').length === 2, 20_000, 'both events in both apps');
    await until(() => settled(nats.jsm, namespace, groups(appA, appB)), 20_000, 'relay to settle');

    // Each listener ran once per event, under the id the event got where it was published.
    expect(seen.map((s) => [s.listener, s.orderId, s.eventId]).sort()).toEqual(
      [
        ['audit.record-order', 'o-1', fromA],
        ['audit.record-order', 'o-2', fromB],
        ['invoicing.invoice-order', 'o-1', fromA],
        ['invoicing.invoice-order', 'o-2', fromB],
      ].sort(),
    );
    // A relays what it publishes and imports what B publishes, without relaying that again.
    const listenersOf = async (app: INestApplication, eventId: string) =>
      (await app.get(EventPublicationRegistry).inspect(eventId)).map((d) => `${d.listener}:${d.status}`).sort();
    expect(await listenersOf(appA, fromA)).toEqual(['audit.record-order:completed', `${RELAY_LISTENER_ID}:completed`]);
    expect(await listenersOf(appA, fromB)).toEqual(['audit.record-order:completed']);
    expect(await listenersOf(appB, fromA)).toEqual(['invoicing.invoice-order:completed']);
    expect(await listenersOf(appB, fromB)).toEqual(['invoicing.invoice-order:completed', `${RELAY_LISTENER_ID}:completed`]);
  }, 60_000);

  it('delivers everything published while B was down once B starts again', async () => {
    if (!b) return;
    const appA = await bootA();
    let appB = await bootB();
    await Promise.all([connected(appA), connected(appB)]);
    await appB.close();
    apps.splice(apps.indexOf(appB), 1);

    const publisher = appA.get(EventPublisher);
    for (let i = 0; i < 5; i++) {
      await publisher.transaction(async (_manager, publish) => publish(Array.from({ length: 10 }, (_, k) => new OrderPlaced(`o-${i * 10 + k}`, k))));
    }
    // Every relay delivery is completed: the events are in the stream, B has not seen one.
    await until(async () => (await appA.get(EventPublicationRegistry).counts()).pending === 0, 20_000, 'A to relay 50 events');
    expect(runs('invoicing.invoice-order')).toEqual([]);

    appB = await bootB();
    await until(() => runs('invoicing.invoice-order').length >= 50, 30_000, 'B to catch up');
    await until(() => settled(nats.jsm, namespace, groups(appA, appB)), 20_000, 'relay to settle');
    const orders = runs('invoicing.invoice-order').map((s) => s.orderId);
    expect(orders.length).toBe(50);
    expect(new Set(orders).size).toBe(50);
  }, 60_000);

  it('runs B’s listener once when the same event arrives again as a new JetStream message', async () => {
    if (!b) return;
    const [appA, appB] = [await bootA(), await bootB()];
    await Promise.all([connected(appA), connected(appB)]);
    const [eventId] = await appA.get(EventPublisher).publish(new OrderPlaced('o-dup', 5));
    await until(() => runs('invoicing.invoice-order', 'o-dup').length === 1, 20_000, 'the first delivery in B');

    // Republish the relayed message as it is stored in the stream: with its message id JetStream
    // drops it (duplicate window); with a new message id it reaches B's consumer again.
    const names = relayNames(namespace, 'a');
    const stored = await nats.jsm.streams.getMessage(names.stream, { last_by_subj: names.subjectOf('orders.order.placed') });
    expect(stored!.header.get(RELAY_HEADERS.eventId)).toBe(eventId);
    const js = jetstream(nats.nc);
    const copy = () => {
      const h = headers();
      for (const key of Object.values(RELAY_HEADERS)) h.set(key, stored!.header.get(key));
      return h;
    };
    expect((await js.publish(stored!.subject, stored!.data, { msgID: eventId, headers: copy() })).duplicate).toBe(true);
    expect((await js.publish(stored!.subject, stored!.data, { msgID: `${eventId}/again`, headers: copy() })).duplicate).toBe(false);
    expect((await js.publish(stored!.subject, stored!.data, { headers: copy() })).duplicate).toBe(false);

    await until(() => settled(nats.jsm, namespace, groups(appA, appB)), 20_000, 'B to consume the copies');
    expect(runs('invoicing.invoice-order', 'o-dup').map((s) => s.eventId)).toEqual([eventId]);
    expect(runs('audit.record-order', 'o-dup').map((s) => s.eventId)).toEqual([eventId]);
    expect((await appB.get(EventPublicationRegistry).inspect(eventId)).length).toBe(1);
  }, 60_000);

  it('skips events nobody in B listens to, and keeps a version B does not know as a failed delivery', async () => {
    if (!b) return;
    const [appA, appB] = [await bootA(), await bootB()];
    await Promise.all([connected(appA), connected(appB)]);
    const [archived] = await appA.get(EventPublisher).publish(new OrderArchived('o-3'));
    const [newer] = await appA.get(EventPublisher).publish(new OrderPlacedV2('o-4', 10, 'EUR'));
    await until(async () => (await appB.get(EventPublicationRegistry).failed()).length === 1, 20_000, 'the v2 delivery to fail in B');
    await until(() => settled(nats.jsm, namespace, groups(appA, appB)), 20_000, 'relay to settle');

    expect(await appB.get(EventPublicationRegistry).inspect(archived)).toEqual([]);
    const [failed] = await appB.get(EventPublicationRegistry).inspect(newer);
    expect(failed).toMatchObject({ eventId: newer, eventVersion: 2, listener: 'invoicing.invoice-order', status: 'failed' });
    expect(failed.lastError).toContain('handles orders.order.placed v1, the event is v2');
    expect(runs('invoicing.invoice-order')).toEqual([]);
  }, 60_000);
});

describe('event relay when B’s database refuses the import', () => {
  const skip = skipOrFail(unavailable);

  it('leaves the message unacknowledged and imports it once the database is back', async () => {
    if (skip) return;
    seen.length = 0;
    const namespace = uniqueNamespace();
    const project = eventsProject();
    const [a, b] = [await sqlite(), await sqlite()];
    const apps: INestApplication[] = [];
    const nats = await natsClient();
    // Another connection takes a table of the import away: every import fails and is naked.
    const file = (b.database as { database: string }).database;
    let other: Database.Database | undefined;
    try {
      const appA = await bootRelayApp({ project, database: a.database, modules: GROUP_A, namespace, origin: 'a' });
      apps.push(appA);
      const appB = await bootRelayApp({ project, database: b.database, modules: GROUP_B, namespace, origin: 'b', events: { dispatch: true } });
      apps.push(appB);
      await Promise.all([connected(appA), connected(appB)]);

      other = new Database(file);
      other.exec('ALTER TABLE modulith_inbox RENAME TO modulith_inbox_away');
      const [eventId] = await appA.get(EventPublisher).publish(new OrderPlaced('o-locked', 1));
      const names = relayNames(namespace, 'b');
      await until(async () => (await nats.jsm.consumers.info(names.stream, names.durable)).num_redelivered > 0, 30_000, 'B to give the message back');
      expect(runs('invoicing.invoice-order')).toEqual([]);

      other.exec('ALTER TABLE modulith_inbox_away RENAME TO modulith_inbox');
      await until(() => runs('invoicing.invoice-order').length > 0, 30_000, 'B to import once the table is back');
      await until(
        () =>
          settled(nats.jsm, namespace, [
            { app: appA, origin: 'a' },
            { app: appB, origin: 'b' },
          ]),
        20_000,
        'relay to settle',
      );
      expect(runs('invoicing.invoice-order').map((s) => s.eventId)).toEqual([eventId]);
    } finally {
      other?.close();
      for (const app of apps) await app.close();
      await nats.close();
      await deleteStream(namespace);
      await a.cleanup();
      await b.cleanup();
      project.dispose();
    }
  }, 90_000);
});

describe('event relay while the broker is down', () => {
  const skip = skipOrFail(OwnNatsServer.available());

  it('commits publishes, boots without the broker, and relays everything once the broker is (back) up', async () => {
    if (skip) return;
    seen.length = 0;
    const namespace = uniqueNamespace();
    const project = eventsProject();
    const [a, b] = [await sqlite(), await sqlite()];
    const server = await OwnNatsServer.create();
    const apps: INestApplication[] = [];
    try {
      // Nothing listens on the port yet: both apps boot anyway, and publishing commits.
      const appA = await bootRelayApp({ project, database: a.database, modules: GROUP_A, namespace, origin: 'a', servers: server.url });
      apps.push(appA);
      const appB = await bootRelayApp({ project, database: b.database, modules: GROUP_B, namespace, origin: 'b', servers: server.url });
      apps.push(appB);
      const [first] = await appA.get(EventPublisher).publish(new OrderPlaced('o-before-broker', 1));
      await until(() => runs('audit.record-order', 'o-before-broker').length === 1, 20_000, 'A’s own listener');
      const relayDelivery = async (eventId: string) =>
        (await appA.get(EventPublicationRegistry).inspect(eventId)).find((d) => d.listener === RELAY_LISTENER_ID)!;
      await until(async () => (await relayDelivery(first)).lastError !== null, 20_000, 'a failed relay attempt');
      expect((await relayDelivery(first)).status).toBe('pending');

      await server.start();
      await until(() => runs('invoicing.invoice-order', 'o-before-broker').length === 1, 30_000, 'the event in B after the broker started');

      // The broker dies with B's consumer attached and comes back with its store.
      await server.kill();
      const [second] = await appA.get(EventPublisher).publish(new OrderPlaced('o-during-outage', 2));
      await until(async () => (await relayDelivery(second)).lastError !== null, 20_000, 'a failed relay attempt during the outage');
      await server.start();
      await until(() => runs('invoicing.invoice-order', 'o-during-outage').length === 1, 30_000, 'the event in B after the broker restarted');

      // A broker killed with SIGKILL may lose acks it had not yet written: it then redelivers those
      // messages after the ack timeout (30 s), and B must recognise events it already imported.
      const nats = await natsClient(server.url);
      try {
        await until(
          () =>
            settled(nats.jsm, namespace, [
              { app: appA, origin: 'a' },
              { app: appB, origin: 'b' },
            ]),
          60_000,
          'relay to settle',
        );
      } finally {
        await nats.close();
      }
      expect(runs('invoicing.invoice-order').map((s) => s.eventId)).toEqual([first, second]);
    } finally {
      for (const app of apps) await app.close();
      await server.dispose();
      await a.cleanup();
      await b.cleanup();
      project.dispose();
    }
  }, 120_000);
});
