// A real app process for the outbox reliability tests: listeners record every delivery they
// run (with start and end times) in a table, so the test can check for loss and overlap after
// killing or racing processes. Configured by environment variables, see `env` below.
import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FeatureModule, ModulithModule } from 'nest-modulith';
import { EventPublisher, ModulithEventsModule, OnModuleEvent, type DeliveryContext } from 'nest-modulith/events';
import { OrderPlaced } from './fixtures.js';

const env = {
  database: process.env.DB_TYPE === 'postgres' ? 'postgres' : 'better-sqlite3',
  url: process.env.DB_URL ?? '',
  schema: process.env.DB_SCHEMA,
  file: process.env.DB_FILE ?? '',
  project: process.env.PROJECT_DIR ?? '',
  instance: process.env.INSTANCE ?? `worker-${process.pid}`,
  delayMs: Number(process.env.LISTENER_DELAY_MS ?? 0),
  publish: Number(process.env.PUBLISH ?? 0),
};

@Injectable()
class Recorder {
  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {}

  async record(delivery: DeliveryContext, orderId: string, run: () => Promise<void>): Promise<void> {
    const started = Date.now();
    await run();
    const p = env.database === 'postgres' ? ['$1', '$2', '$3', '$4', '$5', '$6', '$7'] : Array(7).fill('?');
    const table = env.schema ? `"${env.schema}".test_received` : 'test_received';
    await this.dataSource.query(
      `INSERT INTO ${table} (event_id, listener, order_id, instance, attempt, started_at, finished_at) VALUES (${p.join(', ')})`,
      [delivery.eventId, delivery.listener, orderId, env.instance, delivery.attempt, started, Date.now()],
    );
  }
}

const pause = () => (env.delayMs > 0 ? new Promise<void>((r) => setTimeout(r, env.delayMs)) : Promise.resolve());

@Injectable()
class InvoiceListener {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}
  @OnModuleEvent(OrderPlaced, { id: 'invoicing.invoice-order' })
  handle(event: OrderPlaced, delivery: DeliveryContext) {
    return this.recorder.record(delivery, event.orderId, pause);
  }
}

@Injectable()
class AuditListener {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}
  @OnModuleEvent(OrderPlaced, { id: 'audit.record-order' })
  handle(event: OrderPlaced, delivery: DeliveryContext) {
    return this.recorder.record(delivery, event.orderId, pause);
  }
}

@FeatureModule({ name: 'orders' })
class OrdersModule {}
@FeatureModule({ name: 'invoicing', providers: [Recorder, InvoiceListener] })
class InvoicingModule {}
@FeatureModule({ name: 'audit', providers: [Recorder, AuditListener] })
class AuditModule {}

@Module({
  imports: [
    TypeOrmModule.forRoot(
      env.database === 'postgres'
        ? { type: 'postgres', url: env.url, schema: env.schema, autoLoadEntities: true, synchronize: true }
        : { type: 'better-sqlite3', database: env.file, autoLoadEntities: true, synchronize: true },
    ),
    ModulithModule.forRoot({ modules: [OrdersModule, InvoicingModule, AuditModule], rootDir: env.project }),
    ModulithEventsModule.forRoot({ dispatch: env.publish === 0, backoffMs: 10, maxBackoffMs: 200, pollMs: 50, leaseMs: 2000, batchSize: 100 }),
  ],
})
class WorkerAppModule {}

const app = await NestFactory.createApplicationContext(WorkerAppModule, { logger: ['error'] });
app.enableShutdownHooks();
await app.init();
if (env.publish > 0) {
  // Publisher mode: write the events in batches through the outbox, then exit.
  const publisher = app.get(EventPublisher);
  for (let i = 0; i < env.publish; i += 500) {
    const batch = Array.from({ length: Math.min(500, env.publish - i) }, (_, k) => new OrderPlaced(`o-${i + k}`, i + k));
    await publisher.publish(batch);
  }
  await app.close();
} else {
  process.stdout.write('ready\n');
}
