// @modulith-covers testing, runtime, events
import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getRepositoryToken } from '@nestjs/typeorm';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import type { Repository } from 'typeorm';
import { Order } from './fixtures/modules/orders/order.entity.js';
import { CatalogFacade, OrderPlaced, OrderRejected, OrderShipped, OrdersFacade, OrdersModule, PaymentsFacade } from './fixtures/index.js';

let slice: ModuleSlice;
let orders: OrdersFacade;
beforeAll(async () => {
  slice = await ModuleTest.create(OrdersModule, { logger: false });
  orders = slice.get(OrdersFacade);
});
afterAll(() => slice.close());
beforeEach(() => {
  slice.stubs.of(CatalogFacade).reset().on('price', async (sku) => sku.length);
  slice.stubs.of(PaymentsFacade).reset().on('pay', async (orderId, amount) => {
    if (amount > 5) throw Object.assign(new Error(`payment of ${amount} refused`), { code: 'payments.refused' });
    return { orderId, amount, entry: 1 };
  });
});

describe('captured events', () => {
  it('captures each committed event, decoded into its class, and the raw records with their ids', async () => {
    const order = await orders.place('abc');
    await slice.scenario().stimulate(() => undefined).andWaitForStateChange(() => slice.events.published(OrderPlaced).find((e) => e.orderId === order.id));
    const [placed] = slice.events.published(OrderPlaced).filter((e) => e.orderId === order.id);
    expect(placed).toBeInstanceOf(OrderPlaced);
    expect(placed).toEqual(new OrderPlaced(order.id, 3));
    expect(slice.events.published()).toContainEqual(expect.objectContaining({ name: 'orders.order.placed', version: 1, id: expect.any(String) }));
  });
});

describe('Scenario', () => {
  it('stimulate().andWaitForEvent: resolves to the event matching the predicate, given the stimulus result', async () => {
    const event = await slice
      .scenario()
      .stimulate(() => orders.place('abcd'))
      .andWaitForEvent(OrderPlaced, (placed, order) => placed.orderId === order.id);
    expect(event).toBeInstanceOf(OrderPlaced);
    expect(event.total).toBe(4);
  });

  it('andWaitForEvent times out naming the event, the wait and what was published meanwhile', async () => {
    const error = await slice
      .scenario()
      .stimulate(() => orders.place('abcdefgh').catch(() => 'refused'))
      .andWaitForEvent(OrderPlaced, undefined, { timeout: 300 })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Scenario: no OrderPlaced within 300 ms after the stimulus; published meanwhile: orders\.order\.rejected@1 \(id [0-9a-f-]+\)$/);

    const quiet = await slice.scenario().stimulate(() => 1).andWaitForEvent(OrderPlaced, () => false, { timeout: 50 }).catch((e: Error) => e);
    expect((quiet as Error).message).toBe('Scenario: no OrderPlaced matching the predicate within 50 ms after the stimulus; published meanwhile: nothing');
  });

  it('a stimulus that throws rejects with its error', async () => {
    await expect(slice.scenario().stimulate(() => orders.place('abcdefgh')).andWaitForEvent(OrderRejected)).rejects.toThrow('payment of 8 refused');
  });

  it('andWaitForStateChange: polls until the state is accepted and resolves to it', async () => {
    const repository = slice.get<Repository<Order>>(getRepositoryToken(Order));
    const found = await slice
      .scenario()
      .stimulate(() => orders.place('ab'))
      .andWaitForStateChange((order) => repository.findOneBy({ id: order.id }));
    expect(found).toMatchObject({ sku: 'ab', status: 'placed' });
  });

  it('andWaitForStateChange times out with the last value and the events published meanwhile', async () => {
    const error = await slice
      .scenario()
      .stimulate(() => orders.place('a'))
      .andWaitForStateChange((order) => orders.find(order.id), (order) => order?.status === 'shipped', { timeout: 200 })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^Scenario: the state did not change as expected within 200 ms after the stimulus \(last value: \{"id":"[^"]+","total":1,"status":"placed",.*\}\); published meanwhile: orders\.order\.placed@1 \(id [0-9a-f-]+\)$/,
    );
  });

  it('andExpectNoEvent: resolves to the stimulus result when nothing matching arrives', async () => {
    const order = await slice.scenario().stimulate(() => orders.place('abc')).andExpectNoEvent(OrderRejected, { within: 200 });
    expect(order.total).toBe(3);
    // An event of the type that does not match does not count.
    await slice
      .scenario()
      .stimulate(() => orders.place('xyz'))
      .andExpectNoEvent(OrderPlaced, { within: 200, matching: (event, order) => event.orderId !== order.id });
  });

  it('andExpectNoEvent fails naming the event that arrived', async () => {
    const error = await slice
      .scenario()
      .stimulate(() => orders.place('abcdefgh').catch(() => undefined))
      .andExpectNoEvent(OrderRejected, { within: 2000 })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^Scenario: expected no OrderRejected within 2000 ms after the stimulus, but orders\.order\.rejected@1 \(id [0-9a-f-]+\) was published: \{"orderId":"[^"]+","reason":"payment of 8 refused"\}$/,
    );
  });

  it('publish(): drives a listener of the slice through the real outbox', async () => {
    const order = await orders.place('abc');
    const shipped = await slice
      .scenario()
      .publish(new OrderShipped(order.id))
      .andWaitForStateChange(() => orders.find(order.id), (view) => view?.status === 'shipped');
    expect(shipped?.status).toBe('shipped');
    expect(slice.events.published(OrderShipped).map((e) => e.orderId)).toContain(order.id);
  });
});
