import 'reflect-metadata';
import { Inject, Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { INestApplication } from '@nestjs/common';
import { FeatureModule, ModulithModule } from 'nest-modulith';
import { ModuleEvent, ModulithEventsModule, OnModuleEvent, type DeliveryContext, type EventsOptions } from 'nest-modulith/events';
import { tempProject, type TempProject } from '../core/temp-project.js';

/** Events of the fixture `orders` module. */
@ModuleEvent({ name: 'orders.order.placed', version: 1 })
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

/** What listeners saw, shared by the fixture listeners of one test. */
export const seen: Array<{ listener: string; orderId: string; eventId: string; attempt: number; instance?: string }> = [];
/** Per order id: how many times the `invoicing` listener should throw before succeeding (-1: forever). */
export const failures = new Map<string, number>();

@Injectable()
export class InvoiceOnOrderPlaced {
  @OnModuleEvent(OrderPlaced, { id: 'invoicing.invoice-order' })
  async handle(event: OrderPlaced, delivery: DeliveryContext): Promise<void> {
    if (!(event instanceof OrderPlaced)) throw new Error('listener received a plain object, not the event class');
    const left = failures.get(event.orderId) ?? 0;
    seen.push({ listener: delivery.listener, orderId: event.orderId, eventId: delivery.eventId, attempt: delivery.attempt });
    if (left !== 0) {
      failures.set(event.orderId, left - 1);
      throw new Error(`invoicing is down for ${event.orderId}`);
    }
  }
}

@Injectable()
export class AuditOnOrderPlaced {
  @OnModuleEvent(OrderPlaced, { id: 'audit.record-order' })
  async handle(event: OrderPlaced, delivery: DeliveryContext): Promise<void> {
    seen.push({ listener: delivery.listener, orderId: event.orderId, eventId: delivery.eventId, attempt: delivery.attempt });
  }
}

@FeatureModule({ name: 'orders' })
export class OrdersModule {}

@FeatureModule({ name: 'invoicing', providers: [InvoiceOnOrderPlaced] })
export class InvoicingModule {}

@FeatureModule({ name: 'audit', providers: [AuditOnOrderPlaced] })
export class AuditModule {}

export function eventsProject(auditDependsOnOrders = true): TempProject {
  return tempProject({
    'modules/orders/module.json': { name: 'orders' },
    'modules/invoicing/module.json': { name: 'invoicing', dependsOn: ['orders'] },
    'modules/audit/module.json': { name: 'audit', dependsOn: auditDependsOnOrders ? ['orders'] : [] },
  });
}

export type Database = { type: 'better-sqlite3'; database: string } | { type: 'postgres'; url: string; schema: string; poolSize?: number };

/** A real Nest app with the outbox on a real database; `dispatch: false` unless asked, so tests drive it. */
export async function bootEvents(options: {
  project: TempProject;
  database: Database;
  events?: EventsOptions;
  modules?: Array<Type<unknown>>;
  eventsModuleFirst?: boolean;
}): Promise<INestApplication> {
  const db = options.database;
  const typeorm =
    db.type === 'postgres'
      ? { type: 'postgres' as const, url: db.url, schema: db.schema, poolSize: db.poolSize }
      : { type: 'better-sqlite3' as const, database: db.database };
  const imports = [
    TypeOrmModule.forRoot({ ...typeorm, autoLoadEntities: true, synchronize: true, logging: false }),
    ModulithModule.forRoot({ modules: options.modules ?? [OrdersModule, InvoicingModule, AuditModule], rootDir: options.project.dir }),
    ModulithEventsModule.forRoot({ dispatch: false, backoffMs: 1, maxBackoffMs: 5, pollMs: 20, ...options.events }),
  ];
  // Both are global modules, whose hooks Nest orders by import order alone: listing the events
  // module first makes Nest close TypeORM's DataSource before the events module's own shutdown hook.
  if (options.eventsModuleFirst) imports.unshift(imports.pop()!);
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

export { Inject, Module };
