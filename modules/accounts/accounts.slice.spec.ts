import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import request from 'supertest';
import { BillingFacade } from '../billing/index.js';
import { AccountsFacade } from './accounts.facade.js';
import { AccountsModule } from './accounts.module.js';
import { AccountsService } from './accounts.service.js';
import { AccountsSettings } from './accounts.settings.js';

// Accounts alone: billing (which it calls to open each new balance) is a stub.
let slice: ModuleSlice;
beforeAll(async () => {
  const settings: AccountsSettings = { startingCredits: 7, webhookAllowedHosts: ['127.0.0.1'] };
  slice = await ModuleTest.create(AccountsModule, { providers: [{ provide: AccountsSettings, useValue: settings }], events: false });
});
afterAll(() => slice.close());

it('runs accounts alone, billing stubbed', () => {
  expect(slice.modules).toEqual({ inSlice: ['accounts'], stubbed: ['billing'] });
});

it('opens the new account’s balance in billing with the starting credits, and authenticates its API key', async () => {
  slice.stubs.of(BillingFacade).on('openAccount', async ({ accountId, initialCredits }) => ({ accountId, credits: initialCredits }));
  const created = await slice.get(AccountsService).create({ name: 'Ada', webhookUrl: 'http://127.0.0.1:9/hooks' });
  expect(created.credits).toBe(7);
  expect(slice.stubs.of(BillingFacade).calls('openAccount')).toEqual([[{ accountId: created.id, initialCredits: 7 }]]);

  const accounts = slice.get(AccountsFacade);
  expect(await accounts.authenticate(created.apiKey)).toEqual({ id: created.id, name: 'Ada' });
  expect(await accounts.webhookTarget(created.id)).toEqual({ accountId: created.id, url: 'http://127.0.0.1:9/hooks', secret: created.webhookSecret });
});

it('serves its HTTP routes from the slice’s app (not listening: supertest on getHttpServer())', async () => {
  slice.stubs.of(BillingFacade).on('openAccount', async ({ accountId, initialCredits }) => ({ accountId, credits: initialCredits }));
  const response = await request(slice.app.getHttpServer()).post('/accounts').send({ name: 'Grace' }).expect(201);
  expect(response.body).toMatchObject({ id: expect.any(String), apiKey: expect.any(String), credits: 7 });
});
