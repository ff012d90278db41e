// @modulith-covers testing, runtime, events
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModulithModule, ModuleVerificationError } from 'nest-modulith';
import { ModulithEventsModule } from 'nest-modulith/events';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import { CatalogFacade, CatalogModule, Clock, KernelModule, LedgerFacade, LedgerModule, OrdersFacade, OrdersModule, PaymentsFacade, PaymentsModule, ReportsModule, RogueModule } from './fixtures/index.js';

let slice: ModuleSlice | undefined;
afterEach(async () => {
  await slice?.close();
  slice = undefined;
});

describe('ModuleTest.create: what a slice is made of', () => {
  it('standalone (the default): the target and the shared kernel it reaches run, every other module it reaches is a stub', async () => {
    slice = await ModuleTest.create(OrdersModule);
    expect(slice.modules).toEqual({ inSlice: ['kernel', 'orders'], stubbed: ['catalog', 'ledger', 'payments'] });
    expect(await slice.get(Clock).now()).toBe('2026-01-01T00:00:00.000Z');
    slice.stubs.of(CatalogFacade).returns('price', 7);
    slice.stubs.of(PaymentsFacade).on('pay', async (orderId, amount) => ({ orderId, amount, entry: 1 }));
    const order = await slice.get(OrdersFacade).place('sku');
    expect(order).toMatchObject({ total: 7, status: 'placed', placedAt: '2026-01-01T00:00:00.000Z' });
    expect(slice.stubs.of(PaymentsFacade).calls('pay')).toEqual([[order.id, 7]]);
    // The facade of the module under test runs in strict mode: its result went through the wire codec.
    expect(await slice.get(OrdersFacade).find(order.id)).toEqual(order);
  });

  it('direct-dependencies: the modules the target imports run for real, their own imports are stubs', async () => {
    slice = await ModuleTest.create(OrdersModule, { bootstrap: 'direct-dependencies' });
    expect(slice.modules).toEqual({ inSlice: ['catalog', 'kernel', 'orders', 'payments'], stubbed: ['ledger'] });
    slice.stubs.of(LedgerFacade).returns('record', 41);
    const order = await slice.get(OrdersFacade).place('abc');
    expect(order.total).toBe(30); // the real catalog's price
    expect(slice.stubs.of(LedgerFacade).calls('record')).toEqual([[{ orderId: order.id, amount: 30 }]]);
    expect(await slice.get(PaymentsFacade).pay('o-1', 5)).toEqual({ orderId: 'o-1', amount: 5, entry: 41 });
  });

  it('all-dependencies: everything the target reaches runs for real, nothing is stubbed', async () => {
    slice = await ModuleTest.create(OrdersModule, { bootstrap: 'all-dependencies' });
    expect(slice.modules).toEqual({ inSlice: ['catalog', 'kernel', 'ledger', 'orders', 'payments'], stubbed: [] });
    expect(await slice.get(PaymentsFacade).pay('o-1', 5)).toEqual({ orderId: 'o-1', amount: 5, entry: 1 });
    expect(() => slice!.stubs.of(LedgerFacade)).toThrow("LedgerFacade is not stubbed in the slice of 'orders': it stubs no module");
  });

  it('runs a module without TypeORM with database: false and events: false', async () => {
    slice = await ModuleTest.create(CatalogModule, { database: false, events: false });
    expect(slice.modules).toEqual({ inSlice: ['catalog'], stubbed: [] });
    expect(await slice.get(CatalogFacade).price('ab')).toBe(20);
    expect(() => slice!.events).toThrow("the slice of 'catalog' runs without events (events: false)");
    await expect(slice.scenario().stimulate(() => 1).andWaitForEvent(CatalogModule as never)).rejects.toThrow('runs without events');
  });

  it('refuses events without a database', async () => {
    await expect(ModuleTest.create(CatalogModule, { database: false })).rejects.toThrow('events need a database');
  });

  it('gives extra providers to every module of the slice (global) and applies overrides', async () => {
    const clock: Clock = { now: async () => 'overridden' };
    slice = await ModuleTest.create(OrdersModule, {
      providers: [{ provide: 'GREETING', useValue: 'hello' }],
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
    expect(slice.get<string>('GREETING')).toBe('hello');
    slice.stubs.of(CatalogFacade).returns('price', 1);
    slice.stubs.of(PaymentsFacade).returns('pay', { orderId: 'x', amount: 1, entry: 1 });
    expect((await slice.get(OrdersFacade).place('a')).placedAt).toBe('overridden');
  });

  it('fails to boot a slice that breaks the module rules, as the app would', async () => {
    const error = await ModuleTest.create(RogueModule, { database: false, events: false, logger: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleVerificationError);
    expect((error as ModuleVerificationError).violations).toEqual([expect.objectContaining({ module: 'rogue', rule: 'undeclared-import' })]);
    // Failing, it restored the modules it had stood in for: catalog is real again.
    slice = await ModuleTest.create(CatalogModule, { database: false, events: false });
    expect(await slice.get(CatalogFacade).price('a')).toBe(10);
  });

  it('stands in for a declared dependency the module never imports into Nest, so the boot verification finds it', async () => {
    slice = await ModuleTest.create(ReportsModule, { database: false, events: false });
    expect(slice.modules).toEqual({ inSlice: ['reports'], stubbed: ['catalog', 'ledger'] });
  });

  it('rejects a class that is not a feature module', async () => {
    class Plain {}
    await expect(ModuleTest.create(Plain)).rejects.toThrow('Plain is not a @FeatureModule');
  });

  it('close() restores the modules: the full app boots afterwards with the real modules', async () => {
    const stubbedSlice = await ModuleTest.create(OrdersModule);
    expect(stubbedSlice.modules.stubbed).toEqual(['catalog', 'ledger', 'payments']);
    await stubbedSlice.close();
    await stubbedSlice.close(); // idempotent

    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', autoLoadEntities: true, synchronize: true }),
        ModulithModule.forRoot({ modules: [OrdersModule, CatalogModule, PaymentsModule, LedgerModule, KernelModule] }),
        ModulithEventsModule.forRoot({ pollMs: 10 }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const order = await app.get(OrdersFacade).place('abcd');
      expect(order.total).toBe(40);
      expect(await app.get(PaymentsFacade).pay('o', 1)).toEqual({ orderId: 'o', amount: 1, entry: 2 });
    } finally {
      await app.close();
    }
  });
});
