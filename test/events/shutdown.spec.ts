// @modulith-covers events
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FeatureModule } from 'nest-modulith';
import { EventPublicationRegistry, EventPublisher, OnModuleEvent, runTransaction, type DeliveryContext } from 'nest-modulith/events';
import { bootEvents, eventsProject, OrderPlaced, OrdersModule, type Database } from './fixtures.js';
import { freshSchema } from './postgres.js';

/**
 * Closing an app while the dispatcher is delivering. Nest closes TypeORM's DataSource in
 * onApplicationShutdown; a dispatcher that stopped only then had listeners run against a closed
 * (or closing) pool: their work failed ("Driver not Connected", "Connection terminated"), and a
 * listener waiting for a pooled connection while the pool ended waited forever, so app.close()
 * never returned (a CI run hung in afterAll).
 */

/** Held listeners wait here until the test opens the gate. */
let gate: { open(): void; opened: Promise<void> };
const entered: string[] = [];
const finished: string[] = [];
/** What the app logged as errors meanwhile. */
let errors: string[] = [];

function newGate(): typeof gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

@Injectable()
class HeldAudit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @OnModuleEvent(OrderPlaced, { id: 'audit.held-record' })
  async handle(event: OrderPlaced, _delivery: DeliveryContext): Promise<void> {
    entered.push(event.orderId);
    await gate.opened;
    // Real work on the database after the wait, in a transaction like a real listener's.
    await runTransaction(this.dataSource, async (manager) => {
      await manager.query('SELECT 1');
      await manager.query('SELECT 2');
    }).catch((error: Error) => {
      errors.push(`listener: ${error.message}`);
      throw error;
    });
    finished.push(event.orderId);
  }
}

@FeatureModule({ name: 'audit', providers: [HeldAudit] })
class HeldAuditModule {}

type Target = { name: string; open(): Promise<{ database: Database; cleanup(): Promise<void> } | null> };

const targets: Target[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'modulith-shutdown-'));
      return { database: { type: 'better-sqlite3', database: join(dir, 'db.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = await freshSchema('shutdown');
      // A pool smaller than the dispatcher's concurrency: listeners queue for connections.
      return schema && { database: { type: 'postgres', url: schema.url, schema: schema.schema, poolSize: 2 }, cleanup: schema.drop };
    },
  },
];

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (entered: ${entered.join()}; errors: ${errors.join(' | ')})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Both import orders: Nest runs the shutdown hooks of global modules (TypeORM's, the events
// module) in the order they were imported, so each order closes the DataSource at another time.
const cases = targets.flatMap((target) => [
  { ...target, order: 'TypeORM imported first', eventsModuleFirst: false },
  { ...target, order: 'events module imported first', eventsModuleFirst: true },
]);

describe.each(cases)('closing an app while events are being delivered, on $name, $order', (target) => {
  let cleanup: () => Promise<void> = async () => undefined;
  let database: Database | undefined;

  beforeEach(async () => {
    gate = newGate();
    entered.length = 0;
    finished.length = 0;
    errors = [];
    const opened = await target.open();
    database = opened?.database;
    if (opened) cleanup = opened.cleanup;
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await cleanup();
  });

  it('lets in-flight deliveries finish on a live database, completes them, and returns', async () => {
    if (!database) return;
    const project = eventsProject();
    try {
      const app = await bootEvents({ project, database, eventsModuleFirst: target.eventsModuleFirst, modules: [OrdersModule, HeldAuditModule], events: { dispatch: true, concurrency: 4 } });
      const publisher = app.get(EventPublisher);
      // One commit, so the dispatcher claims all four in one batch and runs them at once.
      await publisher.transaction(async (_manager, publish) => {
        for (let i = 1; i <= 4; i++) await publish(new OrderPlaced(`o-${i}`, i));
      });
      await until(() => entered.length === 4, 'four listeners to start');

      const closing = app.close();
      // Close has begun (and, before the fix, had closed the DataSource) when the listeners go on.
      await new Promise((resolve) => setTimeout(resolve, 200));
      gate.open();
      await within(closing, 15_000, 'app.close()');

      expect(errors).toEqual([]);
      expect(finished.sort()).toEqual(['o-1', 'o-2', 'o-3', 'o-4']);
      const reopened = await bootEvents({ project, database, eventsModuleFirst: target.eventsModuleFirst, modules: [OrdersModule, HeldAuditModule] });
      try {
        expect(await reopened.get(EventPublicationRegistry).counts()).toEqual({ pending: 0, completed: 4, failed: 0 });
      } finally {
        await reopened.close();
      }
    } finally {
      project.dispose();
    }
  });

  it('returns after the grace period when a listener never finishes, leaving its delivery to be retried', async () => {
    if (!database) return;
    const project = eventsProject();
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const app = await bootEvents({
        project,
        database,
        eventsModuleFirst: target.eventsModuleFirst,
        modules: [OrdersModule, HeldAuditModule],
        events: { dispatch: true, shutdownGraceMs: 300, leaseMs: 500 },
      });
      await app.get(EventPublisher).publish(new OrderPlaced('stuck', 1));
      await until(() => entered.length === 1, 'the listener to start');

      await within(app.close(), 10_000, 'app.close()');
      expect(warnings.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringMatching(/1 delivery still running after 300 ms.*audit\.held-record/));

      // Not completed: another instance (here, the next boot) delivers it once the claim runs out.
      gate.open();
      await new Promise((resolve) => setTimeout(resolve, 600));
      const next = await bootEvents({ project, database, eventsModuleFirst: target.eventsModuleFirst, modules: [OrdersModule, HeldAuditModule], events: { dispatch: true, pollMs: 20 } });
      try {
        await until(() => finished.length >= 1, 'the redelivery');
        expect(entered.filter((id) => id === 'stuck').length).toBeGreaterThanOrEqual(2);
      } finally {
        await next.close();
      }
    } finally {
      project.dispose();
    }
  });
});
