// npm run bench:events — outbox throughput against an in-memory event bus, in one run.
//   1. @nestjs/event-emitter in memory (no durability): the reference.
//   2. Outbox end to end (publish in transactions of 100, dispatched and completed) on SQLite
//      and on PostgreSQL (127.0.0.1:5432, skipped with a note when absent).
//   3. Dispatch rate with a 100,000-delivery backlog against an empty table.
// Step 2 runs twice per database: tracing off (no SDK) and on (an OpenTelemetry SDK registered, see
// bench/tracing.ts: a span per publication and per delivery, the trace context stored with each
// event), and the on/off ratio is printed.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import pg from 'pg';
import { FeatureModule, ModulithModule } from 'nest-modulith';
import { EventPublisher, ModuleEvent, ModulithEventsModule, OnModuleEvent, OutboxDispatcher, OutboxStore } from 'nest-modulith/events';
import { tempProject } from '../../test/core/temp-project.js';
import { benchTracing } from '../tracing.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 10_000);
const PG_URL = process.env.MODULITH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

@ModuleEvent({ name: 'orders.order.placed' })
class OrderPlaced {
  constructor(readonly orderId: number) {}
}

let received = 0;

@Injectable()
class CountingListener {
  @OnModuleEvent(OrderPlaced, { id: 'audit.count' })
  async handle(): Promise<void> {
    received++;
  }
  @OnEvent('orders.order.placed', { async: true })
  async inMemory(): Promise<void> {
    received++;
  }
}

@FeatureModule({ name: 'orders' })
class OrdersModule {}
@FeatureModule({ name: 'audit', providers: [CountingListener] })
class AuditModule {}

const project = tempProject({
  'modules/orders/module.json': { name: 'orders' },
  'modules/audit/module.json': { name: 'audit', dependsOn: ['orders'] },
});

type Db = { label: string; typeorm: Record<string, unknown>; cleanup(): Promise<void> };

async function sqlite(): Promise<Db | null> {
  try {
    // The native binding may be missing (not built for this Node): skipped like an absent PostgreSQL.
    const { default: Database } = await import('better-sqlite3');
    new Database(':memory:').close();
  } catch (error) {
    console.log(`SQLite: skipped (better-sqlite3 cannot open a database: ${(error as Error).message.split('\n')[0]})`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'modulith-bench-'));
  return { label: 'SQLite', typeorm: { type: 'better-sqlite3', database: join(dir, 'db.sqlite'), enableWAL: true }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgres(): Promise<Db | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch (error) {
    console.log(`PostgreSQL: skipped (${PG_URL} unreachable: ${(error as Error).message})`);
    return null;
  }
  const schema = `bench_${Date.now().toString(36)}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  return {
    label: 'PostgreSQL',
    typeorm: { type: 'postgres', url: PG_URL, schema },
    cleanup: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

async function outboxApp(db: Db, dispatch: boolean): Promise<INestApplicationContext> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({ ...(db.typeorm as any), autoLoadEntities: true, synchronize: true, logging: false }),
      ModulithModule.forRoot({ modules: [OrdersModule, AuditModule], rootDir: project.dir }),
      ModulithEventsModule.forRoot({ dispatch, batchSize: 500, concurrency: 32, pollMs: 5 }),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
  await app.init();
  return app;
}

async function publishAll(app: INestApplicationContext, count: number): Promise<void> {
  const publisher = app.get(EventPublisher);
  for (let i = 0; i < count; i += 100) {
    await publisher.transaction(async (_m, publish) => publish(Array.from({ length: Math.min(100, count - i) }, (_, k) => new OrderPlaced(i + k))));
  }
}

async function waitFor(count: number): Promise<void> {
  while (received < count) await new Promise((r) => setTimeout(r, 2));
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const results: Array<[string, number]> = [];

async function inMemory(): Promise<number> {
  @Module({ imports: [EventEmitterModule.forRoot()], providers: [CountingListener] })
  class MemoryModule {}
  const app = await NestFactory.createApplicationContext(MemoryModule, { logger: ['error'] });
  await app.init();
  const emitter = app.get(EventEmitter2);
  received = 0;
  const start = performance.now();
  for (let i = 0; i < EVENTS; i++) emitter.emit('orders.order.placed', new OrderPlaced(i));
  await waitFor(EVENTS);
  const perSecond = rate(EVENTS, performance.now() - start);
  await app.close();
  return perSecond;
}

const tracing = benchTracing();

async function endToEnd(db: Db, traced: boolean): Promise<number> {
  if (traced) tracing.on();
  try {
    const app = await outboxApp(db, true);
    received = 0;
    const start = performance.now();
    await publishAll(app, EVENTS);
    await waitFor(EVENTS);
    const perSecond = rate(EVENTS, performance.now() - start);
    await app.close();
    return perSecond;
  } finally {
    if (traced) await tracing.off();
  }
}

/** Dispatch rate of SAMPLE deliveries on top of `backlog` older pending ones. */
async function dispatchRate(db: Db, backlog: number): Promise<number> {
  const app = await outboxApp(db, false);
  const dispatcher = app.get(OutboxDispatcher);
  await publishAll(app, backlog + SAMPLE);
  if (db.label === 'PostgreSQL') {
    // A real backlog builds up while autovacuum keeps planner statistics fresh; right after a
    // bulk insert they are missing and PostgreSQL would sort the whole backlog on every claim.
    const store = app.get(OutboxStore);
    await app.get<DataSource>(getDataSourceToken()).query(`ANALYZE ${store.deliveries}`);
  }
  received = 0;
  const start = performance.now();
  // Drain SAMPLE deliveries from the front of the queue with the backlog behind them.
  while (received < SAMPLE) {
    const before = received;
    await (dispatcher as any).process(await (dispatcher as any).store.claim('bench', Date.now(), 60_000, 500));
    if (received === before) break;
  }
  const perSecond = rate(received, performance.now() - start);
  await app.close();
  return perSecond;
}

async function main(): Promise<void> {
  console.log(`nest-modulith bench:events — ${EVENTS} events end to end, backlog ${BACKLOG}, sample ${SAMPLE} (one listener)\n`);
  const memory = await inMemory();
  results.push(['@nestjs/event-emitter in memory (reference, not durable)', memory]);
  for (const open of [sqlite, postgres]) {
    let opened = false;
    for (const traced of [false, true]) {
      const db = await open();
      if (!db) break;
      opened = true;
      try {
        results.push([`outbox end to end, ${db.label}${traced ? ', tracing on' : ''}`, await endToEnd(db, traced)]);
      } finally {
        await db.cleanup();
      }
    }
    if (!opened) continue;
    for (const backlog of [0, BACKLOG]) {
      const fresh = await open();
      if (!fresh) continue;
      try {
        results.push([`outbox dispatch, ${fresh.label}, ${backlog === 0 ? 'empty table' : `${backlog.toLocaleString('en')} backlog`}`, await dispatchRate(fresh, backlog)]);
      } finally {
        await fresh.cleanup();
      }
    }
  }
  const width = Math.max(...results.map(([label]) => label.length));
  for (const [label, value] of results) {
    console.log(`${label.padEnd(width)}  ${String(value).padStart(9)} events/s  ${(value / memory).toFixed(3)}x of in-memory`);
  }
  for (const label of ['SQLite', 'PostgreSQL']) {
    const off = results.find(([l]) => l === `outbox end to end, ${label}`)?.[1];
    const on = results.find(([l]) => l === `outbox end to end, ${label}, tracing on`)?.[1];
    if (off && on) console.log(`${label}: end to end with tracing on is ${(on / off).toFixed(2)}x the events/s with it off`);
    const empty = results.find(([l]) => l === `outbox dispatch, ${label}, empty table`)?.[1];
    const full = results.find(([l]) => l.startsWith(`outbox dispatch, ${label}, `) && l.endsWith('backlog'))?.[1];
    if (empty && full) console.log(`${label}: backlog dispatch rate is ${(full / empty).toFixed(2)}x the empty-table rate (target >= 0.5)`);
  }
  console.log(`tracing on: ${tracing.spans.toLocaleString('en')} spans exported over the traced runs (a publication and a delivery per event)`);
  project.dispose();
  await tracing.shutdown();
}

await main();
