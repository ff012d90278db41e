import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../../test/support/services.js';
import { BillingFacade } from './billing.facade.js';
import { BillingModule } from './billing.module.js';
import { ChargeExpiredError } from './charge-expired.error.js';
import { InsufficientCreditsError } from './insufficient-credits.error.js';

const targets = await databaseTargets();

describeOnDatabases('BillingFacade', targets, (target) => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let billing: BillingFacade;

  beforeAll(async () => {
    database = await target.provision();
    const config = database.config;
    const options: TypeOrmModuleOptions =
      config.type === 'sqlite'
        ? { type: 'better-sqlite3', database: config.path }
        : { type: 'postgres', url: config.url, schema: config.schema };
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...options, autoLoadEntities: true, synchronize: true, retryAttempts: 0 }), BillingModule],
    }).compile();
    await moduleRef.init();
    billing = moduleRef.get(BillingFacade);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it('opens an account once, with a grant in the ledger', async () => {
    const accountId = randomUUID();
    expect(await billing.openAccount({ accountId, initialCredits: 10 })).toEqual({ accountId, credits: 10 });
    expect(await billing.openAccount({ accountId, initialCredits: 10 })).toEqual({ accountId, credits: 10 });
    const statement = await billing.statement(accountId);
    expect(statement.ledger).toEqual([{ amount: 10, reason: 'grant', createdAt: expect.any(String) }]);
  });

  it('never overdraws under concurrent charges', async () => {
    const accountId = randomUUID();
    await billing.openAccount({ accountId, initialCredits: 5 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => billing.charge({ accountId, jobId: randomUUID(), amount: 1 })),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const outcome of refused) expect(InsufficientCreditsError.is((outcome as PromiseRejectedResult).reason)).toBe(true);
    const statement = await billing.statement(accountId);
    expect(statement.credits).toBe(0);
    expect(statement.ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
  });

  it('charges and refunds a job at most once each', async () => {
    const accountId = randomUUID();
    const jobId = randomUUID();
    await billing.openAccount({ accountId, initialCredits: 3 });
    await Promise.all([billing.charge({ accountId, jobId, amount: 2 }), billing.charge({ accountId, jobId, amount: 2 })]);
    expect((await billing.statement(accountId)).credits).toBe(1);
    await Promise.all([billing.refund({ accountId, jobId }), billing.refund({ accountId, jobId })]);
    await billing.refund({ accountId, jobId });
    const statement = await billing.statement(accountId);
    expect(statement.credits).toBe(3);
    expect(statement.ledger.map((e) => [e.reason, e.amount])).toEqual([
      ['grant', 3],
      ['job-charge', -2],
      ['job-refund', 2],
    ]);
  });

  it('refunds nothing for a job it never charged, nor for another account', async () => {
    const accountId = randomUUID();
    const otherId = randomUUID();
    const jobId = randomUUID();
    await billing.openAccount({ accountId, initialCredits: 2 });
    await billing.openAccount({ accountId: otherId, initialCredits: 2 });
    expect((await billing.refund({ accountId, jobId })).credits).toBe(2);
    await billing.charge({ accountId, jobId, amount: 1 });
    expect((await billing.refund({ accountId: otherId, jobId })).credits).toBe(2);
    expect((await billing.statement(accountId)).credits).toBe(1);
  });

  it('reports the shortfall when the balance is too low', async () => {
    const accountId = randomUUID();
    await billing.openAccount({ accountId, initialCredits: 1 });
    await expect(billing.charge({ accountId, jobId: randomUUID(), amount: 3 })).rejects.toMatchObject({
      code: InsufficientCreditsError.code,
      required: 3,
      available: 1,
    });
  });

  it('never charges a job again once it is refunded', async () => {
    const accountId = randomUUID();
    const jobId = randomUUID();
    await billing.openAccount({ accountId, initialCredits: 2 });
    await billing.charge({ accountId, jobId, amount: 1 });
    await billing.refund({ accountId, jobId });
    expect(await billing.charge({ accountId, jobId, amount: 1 })).toEqual({ accountId, credits: 2 });
    expect((await billing.statement(accountId)).ledger.map((e) => e.reason)).toEqual(['grant', 'job-charge', 'job-refund']);
  });

  it('charges nothing when the charge arrives after its deadline, and the same job later', async () => {
    const accountId = randomUUID();
    const jobId = randomUUID();
    await billing.openAccount({ accountId, initialCredits: 2 });
    const late = billing.charge({ accountId, jobId, amount: 1, notAfter: new Date(Date.now() - 1).toISOString() });
    await expect(late).rejects.toMatchObject({ code: ChargeExpiredError.code, jobId });
    await expect(late).rejects.toBeInstanceOf(ChargeExpiredError);
    expect((await billing.statement(accountId)).credits).toBe(2);

    const inTime = { accountId, jobId, amount: 1, notAfter: new Date(Date.now() + 60_000).toISOString() };
    expect(await billing.charge(inTime)).toEqual({ accountId, credits: 1 });
    // A retry with the same key is the same charge.
    expect(await billing.charge(inTime)).toEqual({ accountId, credits: 1 });
    expect((await billing.statement(accountId)).ledger.map((e) => e.reason)).toEqual(['grant', 'job-charge']);
    await expect(billing.charge({ accountId, jobId, amount: 1, notAfter: 'tomorrow' })).rejects.toThrow(/notAfter/);
  });
});
