// @modulith-covers testing, runtime, events
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import { CatalogFacade, Clock, LedgerFacade, OrdersFacade, OrdersModule, PaymentsFacade } from './fixtures/index.js';

let slice: ModuleSlice | undefined;
afterEach(async () => {
  await slice?.close();
  slice = undefined;
});

/** A facade without @Facade: its stub accepts any method name. */
abstract class UndeclaredFacade {
  abstract anything(): Promise<number>;
}

describe('facade stubs of a slice', () => {
  it('answers programmed methods (on, returns, throws), always with a Promise, and records the calls', async () => {
    slice = await ModuleTest.create(OrdersModule);
    const payments = slice.stubs.of(PaymentsFacade);
    payments.on('pay', (orderId, amount) => ({ orderId, amount, entry: amount * 2 }));
    slice.stubs.of(CatalogFacade).returns('price', 3);
    const facade = slice.get(PaymentsFacade);
    expect(facade).toBeInstanceOf(PaymentsFacade);
    const pending = facade.pay('o-1', 4);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ orderId: 'o-1', amount: 4, entry: 8 });

    await slice.get(OrdersFacade).place('x');
    expect(payments.calls('pay')).toEqual([['o-1', 4], [expect.any(String), 3]]);
    expect(slice.stubs.of(CatalogFacade).calls('price')).toEqual([['x']]);

    // A domain error (it has a code) crosses the strict facade of orders as it would cross processes.
    payments.throws('pay', Object.assign(new Error('card declined'), { code: 'payments.declined' }));
    await expect(slice.get(OrdersFacade).place('y')).rejects.toMatchObject({ message: 'card declined', code: 'payments.declined' });
    payments.reset();
    expect(payments.calls('pay')).toEqual([]);
  });

  it('strict (the default): an unprogrammed call rejects naming the facade, the method, the slice and the fix', async () => {
    slice = await ModuleTest.create(OrdersModule);
    await expect(slice.get(CatalogFacade).price('a')).rejects.toThrow(
      "CatalogFacade.price() was called, but it is a stub (the slice of 'orders' stubs 'catalog') and nothing is programmed for 'price'. " +
        "Program it: slice.stubs.of(CatalogFacade).on('price', async (...args) => ...)",
    );
    // The module under test sees the same rejection through its own facade.
    await expect(slice.get(OrdersFacade).place('a')).rejects.toMatchObject({
      name: 'UnprogrammedStubError',
      message: expect.stringContaining('CatalogFacade.price() was called, but it is a stub'),
    });
  });

  it('non-strict: an unprogrammed call resolves undefined', async () => {
    slice = await ModuleTest.create(OrdersModule, { strict: false });
    await expect(slice.get(CatalogFacade).price('a')).resolves.toBeUndefined();
    expect(slice.stubs.of(CatalogFacade).calls('price')).toEqual([['a']]);
  });

  it('rejects a method the facade does not declare, listing the ones it does', async () => {
    slice = await ModuleTest.create(OrdersModule);
    expect(() => slice!.stubs.of(PaymentsFacade).on('refund' as never, async () => undefined)).toThrow(
      "PaymentsFacade has no method 'refund' (its @Facade lists: pay)",
    );
    expect(() => slice!.stubs.of(PaymentsFacade).calls('charge' as never)).toThrow("PaymentsFacade has no method 'charge'");
  });

  it('names the stubbed modules when asked for a facade that is not stubbed', async () => {
    slice = await ModuleTest.create(OrdersModule);
    expect(() => slice!.stubs.of(Clock)).toThrow(
      "Clock is not stubbed in the slice of 'orders': the stubbed facades are catalog (CatalogFacade), ledger (LedgerFacade), payments (PaymentsFacade)",
    );
    expect(() => slice!.stubs.of(OrdersFacade)).toThrow('get its facade with slice.get(OrdersFacade)');
    expect(slice.stubs.of(LedgerFacade).calls('record')).toEqual([]);
  });

  it('stubs a facade without @Facade by any method name', async () => {
    const { SliceStubs } = await import('nest-modulith/testing');
    const stubs = new SliceStubs({ target: 'orders', strict: true });
    const [provider] = stubs.standIn('legacy', [UndeclaredFacade]);
    const instance = (provider as { useValue: UndeclaredFacade }).useValue;
    stubs.of(UndeclaredFacade).returns('anything', 5);
    expect(await instance.anything()).toBe(5);
    // Not a thenable, and no Nest lifecycle hooks: awaiting it or booting it calls nothing.
    expect((instance as unknown as { then?: unknown }).then).toBeUndefined();
    expect((instance as unknown as { onModuleInit?: unknown }).onModuleInit).toBeUndefined();
    await expect((instance as unknown as { other(): Promise<unknown> }).other()).rejects.toThrow('UndeclaredFacade.other() was called');
  });
});
