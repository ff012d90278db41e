// @modulith-covers remote, billing
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NotFoundException, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RemoteCallError, WireContractError } from 'nest-modulith';
import { InsufficientCreditsError } from '../../modules/billing/index.js';
import { CatalogFacade, catalogCalls, STOCK } from './fixtures/modules/catalog/index.js';
import { ShopFacade } from './fixtures/modules/shop/index.js';
import { rejectionOf, startApp } from './support/apps.js';

// Strict mode (MODULITH_STRICT=1) keeps every module in one process but sends each facade call
// through the wire codec, so the monolith's own tests fail on a contract that could not cross a
// process boundary, and callers see errors as they would from another process.

class NewItem {
  constructor(
    readonly name: string,
    readonly price: number,
  ) {}
}

describe('strict mode, all modules in one process', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp({ strict: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a valid call returns equal plain data, through every facade on the way', async () => {
    expect(await app.get(CatalogFacade).item('abc')).toEqual({ id: 'abc', name: 'Item abc', price: 30, tags: ['new'] });
    expect(await app.get(ShopFacade).quote('abc', 2)).toEqual({ itemId: 'abc', total: 60 });
    expect(app.get(CatalogFacade)).toBeInstanceOf(CatalogFacade);
  });

  it('a facade returning a Date fails with a WireContractError naming `Facade.method result`', async () => {
    const error = await rejectionOf(app.get(CatalogFacade).addedOn('abc'));

    expect(error).toBeInstanceOf(WireContractError);
    expect(error.message).toBe('CatalogFacade.addedOn result cannot cross a process boundary: a Date becomes a string on the wire; send an ISO 8601 string');
  });

  it('a call taking a class instance fails with a WireContractError naming the arguments, before the module runs', async () => {
    const ran = catalogCalls.length;
    const error = await rejectionOf(app.get(CatalogFacade).create(new NewItem('Fig', 3)));

    expect(error).toBeInstanceOf(WireContractError);
    expect(error.message).toBe(
      'CatalogFacade.create arguments[0] cannot cross a process boundary: an instance of NewItem loses its class and methods on the wire; send a plain object',
    );
    expect(catalogCalls.length).toBe(ran);
  });

  it('a domain error arrives rebuilt as from another process: `instanceof` the class no longer holds, its code does', async () => {
    const error = await rejectionOf(app.get(CatalogFacade).reserve({ accountId: 'acc-1', amount: STOCK + 1 }));

    expect(error).not.toBeInstanceOf(InsufficientCreditsError);
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(InsufficientCreditsError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: 'InsufficientCreditsError', code: InsufficientCreditsError.code, accountId: 'acc-1', required: STOCK + 1, available: STOCK });
  });

  it('an HttpException keeps its class, status and body', async () => {
    const error = await rejectionOf(app.get(CatalogFacade).item('missing'));
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.getResponse()).toEqual({ statusCode: 404, error: 'Not Found', message: "no catalog item 'missing'" });
  });

  it("the module's own HTTP routes work on the strict facade", async () => {
    await request(app.getHttpServer()).get('/catalog/items/kiwi').expect(200, { id: 'kiwi', name: 'Item kiwi', price: 40, tags: ['new'] });
    await request(app.getHttpServer()).get('/catalog/items/missing').expect(404);
  });
});

describe('without strict mode', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp({});
  });
  afterAll(async () => {
    await app?.close();
  });

  it('facade calls stay plain method calls: the Date goes through, and the original error class is thrown', async () => {
    expect(await app.get(CatalogFacade).addedOn('abc')).toBeInstanceOf(Date);
    await expect(app.get(CatalogFacade).reserve({ accountId: 'acc-1', amount: STOCK + 1 })).rejects.toBeInstanceOf(InsufficientCreditsError);
  });
});
