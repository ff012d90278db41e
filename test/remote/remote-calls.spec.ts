// @modulith-covers remote, billing
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RemoteCallError, RunningModules, WireContractError } from 'nest-modulith';
import { InsufficientCreditsError } from '../../modules/billing/index.js';
import { CatalogFacade, catalogCalls, STOCK } from './fixtures/modules/catalog/index.js';
import { PricingFacade, pricedItems } from './fixtures/modules/pricing/index.js';
import { ShopFacade } from './fixtures/modules/shop/index.js';
import { brokerOptions, rejectionOf, startApp, uniqueNamespace } from './support/apps.js';
import { describeWhen, natsUnavailable } from './support/nats.js';

// Two real Nest apps on the real broker: `serving` hosts catalog (MODULITH_SERVE=catalog), the
// `calling` one hosts every other module and reaches catalog over NATS (MODULITH_REMOTE=catalog).
// catalog asks pricing for prices, so calls also go back from the serving app to the calling one.

describeWhen(await natsUnavailable(), 'a module served by another Nest app over NATS', () => {
  const namespace = uniqueNamespace('calls');
  let serving: INestApplication;
  let calling: INestApplication;

  beforeAll(async () => {
    serving = await startApp({ serve: ['catalog'], broker: brokerOptions(namespace) });
    calling = await startApp({ remote: ['catalog'], broker: brokerOptions(namespace) });
  });
  afterAll(async () => {
    await calling?.close();
    await serving?.close();
  });

  it('each app runs the modules it hosts and knows which ones it reaches over the broker', () => {
    expect(serving.get(RunningModules)).toMatchObject({ names: ['catalog'], remote: ['pricing', 'shop'] });
    expect(calling.get(RunningModules)).toMatchObject({ names: ['pricing', 'shop'], remote: ['catalog'] });
  });

  it('a module calls the remote facade it injects, and the remote module calls back into the caller', async () => {
    const quote = await calling.get(ShopFacade).quote('abc', 2);

    // 'abc' costs 30: only the calling app hosts pricing, so catalog asked it over the broker.
    expect(quote).toEqual({ itemId: 'abc', total: 60 });
    expect(catalogCalls).toContain('item:abc');
    expect(pricedItems).toContain('abc');
  });

  it('the remote facade is an instance of the facade class and returns the plain data the module returned', async () => {
    const catalog = calling.get(CatalogFacade);
    expect(catalog).toBeInstanceOf(CatalogFacade);
    expect(await catalog.item('kiwi')).toEqual({ id: 'kiwi', name: 'Item kiwi', price: 40, tags: ['new'] });
    expect(await catalog.reserve({ accountId: 'acc-1', amount: STOCK })).toBeUndefined();
  });

  it('the serving app reaches the modules of the calling app through the same stand-ins', async () => {
    expect(await serving.get(PricingFacade).price('melon')).toBe(50);
    expect(await serving.get(ShopFacade).quote('fig', 3)).toEqual({ itemId: 'fig', total: 90 });
  });

  it('a NotFoundException thrown by the serving module arrives as a NotFoundException with the same status and body', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).item('missing'));
    const original = new NotFoundException("no catalog item 'missing'");

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.getStatus()).toBe(404);
    expect(error.getResponse()).toEqual(original.getResponse());
    expect(error.name).toBe('NotFoundException');
    expect(error.message).toBe(original.message);
  });

  it('a BadRequestException with one message per field arrives with the same status and body', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).create({ name: '', price: 0 }));

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getStatus()).toBe(400);
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['name must not be empty', 'price must be a positive number'],
    });
  });

  it("a domain error keeps its name, message, code and fields, so the module's `is` check recognises it", async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).reserve({ accountId: 'acc-9', amount: STOCK + 2 }));

    expect(InsufficientCreditsError.is(error)).toBe(true);
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toMatchObject({
      name: 'InsufficientCreditsError',
      message: `not enough credits: ${STOCK + 2} required, ${STOCK} available`,
      code: InsufficientCreditsError.code,
      accountId: 'acc-9',
      required: STOCK + 2,
      available: STOCK,
    });
    // The stack of the serving process stays there.
    expect(error.stack).not.toContain('catalog.service');
  });

  it('optional trailing arguments may be left out', async () => {
    expect(await calling.get(CatalogFacade).search('ap')).toEqual(['apple', 'apricot']);
  });

  // Function.length stops at the first parameter with a default (`search(term, limit = 2)` has
  // length 1), so the serving side must not use it to refuse a call that works in process.
  it('an optional argument with a default value can be passed', async () => {
    expect(await calling.get(CatalogFacade).search('a', 3)).toEqual(['apple', 'apricot', 'avocado']);
  });

  it('a call with an argument that cannot cross the wire fails in the calling process, before it is sent', async () => {
    const before = catalogCalls.length;
    const error = await rejectionOf(calling.get(CatalogFacade).create({ name: 'Fig', price: 1, addedAt: new Date() } as never));

    expect(error).toBeInstanceOf(WireContractError);
    expect(error.message).toContain('CatalogFacade.create arguments[0].addedAt cannot cross a process boundary');
    expect(catalogCalls.length).toBe(before);
  });

  it('a result that cannot cross the wire fails with a contract error naming the method', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).addedOn('abc'));

    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error.name).toBe('WireContractError');
    expect(error.message).toContain('CatalogFacade.addedOn result cannot cross a process boundary');
  });

  it('a call reaches exactly one of several instances serving the module, and stopping one leaves the others serving', async () => {
    const second = await startApp({ serve: ['catalog'], broker: brokerOptions(namespace) });
    const ran = () => catalogCalls.filter((call) => call === 'search:ban').length;
    const before = ran();
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => calling.get(CatalogFacade).search('ban')));
      expect(answers).toEqual(Array.from({ length: 20 }, () => ['banana']));
      expect(ran() - before).toBe(20);
    } finally {
      await second.close();
    }
    expect(await calling.get(CatalogFacade).search('ban')).toEqual(['banana']);
  });

  describe('the HTTP gateway', () => {
    it('forwards requests under /catalog to the serving app and answers with its response', async () => {
      const response = await request(calling.getHttpServer()).get('/catalog/items/plum').expect(200);

      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({ id: 'plum', name: 'Item plum', price: 40, tags: ['new'] });
    });

    it('forwards the query string, the headers and a JSON body', async () => {
      const echo = await request(calling.getHttpServer()).get('/catalog/echo?q=a%20b').set('x-request-tag', 'tag-1').expect(200);
      expect(echo.body).toEqual({ q: 'a b', tag: 'tag-1' });

      const created = await request(calling.getHttpServer()).post('/catalog/items').send({ name: 'Pear', price: 7 }).expect(201);
      expect(created.body).toEqual({ id: 'pear', name: 'Pear', price: 7, tags: [] });
    });

    it("answers the serving app's errors with their status and body", async () => {
      const missing = await request(calling.getHttpServer()).get('/catalog/items/missing').expect(404);
      expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: "no catalog item 'missing'" });

      const invalid = await request(calling.getHttpServer()).post('/catalog/items').send({ name: '' }).expect(400);
      expect(invalid.body.message).toEqual(['name must not be empty', 'price must be a positive number']);
    });

    it('leaves paths of other modules to the calling app itself', async () => {
      await request(calling.getHttpServer()).get('/catalogue/items/plum').expect(404);
      // The serving app does not forward: catalog's routes are its own.
      await request(serving.getHttpServer()).get('/catalog/items/plum').expect(200);
    });
  });
});
