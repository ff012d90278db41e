import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Param, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Facade, FeatureModule, ModulithModule } from 'nest-modulith';
import { EventPublisher, ModuleEvent, ModulithEventsModule, OnModuleEvent, type DeliveryContext, type EventsOptions } from 'nest-modulith/events';
import { tempProject, type TempProject } from '../core/temp-project.js';

// Four feature modules: orders -> billing -> ledger (facade calls, HTTP), invoicing listens to
// orders' event and calls the ledger (a facade call inside a delivery).

@Facade<LedgerFacade>({ record: true, balance: true })
export abstract class LedgerFacade {
  abstract record(amount: number): Promise<number>;
  /** Synchronous on purpose: tracing must not turn it into a promise. */
  abstract balance(): number;
}

@Injectable()
class LedgerService implements LedgerFacade {
  private total = 0;
  async record(amount: number): Promise<number> {
    this.total += amount;
    return this.total;
  }
  balance(): number {
    return this.total;
  }
}

@FeatureModule({ name: 'ledger', facades: [{ provide: LedgerFacade, useClass: LedgerService }] })
export class LedgerModule {}

@Facade<BillingFacade>({ charge: true, refuse: true })
export abstract class BillingFacade {
  abstract charge(orderId: string, amount: number): Promise<number>;
  abstract refuse(orderId: string): Promise<void>;
}

export class PaymentRefused extends Error {
  override name = 'PaymentRefused';
}

@Injectable()
class BillingService implements BillingFacade {
  constructor(@Inject(LedgerFacade) private readonly ledger: LedgerFacade) {}
  async charge(_orderId: string, amount: number): Promise<number> {
    return this.ledger.record(amount);
  }
  async refuse(orderId: string): Promise<void> {
    throw new PaymentRefused(`payment for ${orderId} refused`);
  }
}

@FeatureModule({ name: 'billing', imports: [LedgerModule], facades: [{ provide: BillingFacade, useClass: BillingService }] })
export class BillingModule {}

@ModuleEvent({ name: 'orders.order.placed', version: 1 })
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly amount: number,
  ) {}
}

@Facade<OrdersFacade>({ place: true })
export abstract class OrdersFacade {
  abstract place(orderId: string, amount: number): Promise<string>;
}

@Injectable()
class OrdersService implements OrdersFacade {
  constructor(
    @Inject(BillingFacade) private readonly billing: BillingFacade,
    @Inject(EventPublisher) private readonly events: EventPublisher,
  ) {}
  async place(orderId: string, amount: number): Promise<string> {
    await this.billing.charge(orderId, amount);
    const [id] = await this.events.publish(new OrderPlaced(orderId, amount));
    return id!;
  }
}

@Controller('orders')
class OrdersController {
  constructor(@Inject(BillingFacade) private readonly billing: BillingFacade) {}
  @Post(':id')
  async charge(@Param('id') id: string): Promise<{ total: number }> {
    // Awaits first: the scope must follow the handler's async work.
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { total: await this.billing.charge(id, 5) };
  }
}

@FeatureModule({ name: 'orders', imports: [BillingModule], controllers: [OrdersController], facades: [{ provide: OrdersFacade, useClass: OrdersService }] })
export class OrdersModule {}

/** Per order id: how many more times the invoicing listener throws (-1: always). */
export const failures = new Map<string, number>();

@Injectable()
class InvoiceOnOrderPlaced {
  constructor(@Inject(LedgerFacade) private readonly ledger: LedgerFacade) {}
  @OnModuleEvent(OrderPlaced, { id: 'invoicing.invoice-order' })
  async handle(event: OrderPlaced, _delivery: DeliveryContext): Promise<void> {
    const left = failures.get(event.orderId) ?? 0;
    if (left !== 0) {
      failures.set(event.orderId, left - 1);
      throw new Error(`invoicing is down for ${event.orderId}`);
    }
    await this.ledger.record(event.amount);
  }
}

@FeatureModule({ name: 'invoicing', imports: [LedgerModule], providers: [InvoiceOnOrderPlaced] })
export class InvoicingModule {}

/** A controller of the app shell (no feature module): its calls come from 'app'. */
@Controller('shell')
class ShellController {
  constructor(@Inject(BillingFacade) private readonly billing: BillingFacade) {}
  @Get('charge')
  async charge(): Promise<{ total: number }> {
    return { total: await this.billing.charge('shell', 1) };
  }
}

export function observabilityProject(): TempProject {
  return tempProject({
    'modules/ledger/module.json': { name: 'ledger' },
    'modules/billing/module.json': { name: 'billing', dependsOn: ['ledger'] },
    'modules/orders/module.json': { name: 'orders', dependsOn: ['billing'] },
    'modules/invoicing/module.json': { name: 'invoicing', dependsOn: ['orders', 'ledger'] },
  });
}

/** The app on a real SQLite file, the dispatcher driven by the test (drain) unless asked. */
export async function bootApp(project: TempProject, database: string, events: EventsOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database, autoLoadEntities: true, synchronize: true, logging: false }),
      ModulithModule.forRoot({ modules: [LedgerModule, BillingModule, OrdersModule, InvoicingModule], rootDir: project.dir }),
      ModulithEventsModule.forRoot({ dispatch: false, backoffMs: 1, maxBackoffMs: 5, pollMs: 20, maxAttempts: 2, ...events }),
      // The app shell uses billing's facade (for ShellController).
      BillingModule,
    ],
    controllers: [ShellController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

export async function request(app: INestApplication, method: 'GET' | 'POST', path: string): Promise<unknown> {
  const response = await fetch(`${await app.getUrl()}${path}`, { method });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The finished spans named `name`. */
export function spansNamed(spans: ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}

export interface Point {
  attributes: Record<string, unknown>;
  value: unknown;
}

/** The data points of metric `name` in the latest (cumulative) collection. */
export function metricPoints(collected: ResourceMetrics[], name: string): Point[] {
  const latest = collected[collected.length - 1];
  const metric = latest?.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((point) => ({ attributes: point.attributes as Record<string, unknown>, value: point.value }));
}

/** The sum of the points whose attributes include `match`. */
export function sumWhere(points: Point[], match: Record<string, unknown>): number {
  return points
    .filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (typeof point.value === 'number' ? point.value : ((point.value as { count?: number }).count ?? 0)), 0);
}
