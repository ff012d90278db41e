import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import { DataSource } from 'typeorm';
import { MediaJobCompleted, MediaJobFailed } from '../media-events/index.js';
import { BillingFacade } from './billing.facade.js';
import { BillingModule } from './billing.module.js';

// Billing alone, on in-memory SQLite with the outbox: its refund listener is driven by publishing
// media's event through the real outbox, as media would.
let slice: ModuleSlice;
let billing: BillingFacade;
beforeAll(async () => {
  slice = await ModuleTest.create(BillingModule);
  billing = slice.get(BillingFacade);
});
afterAll(() => slice.close());

function failedJob(accountId: string, jobId: string): MediaJobFailed {
  const at = new Date().toISOString();
  return new MediaJobFailed({ jobId, accountId, prompt: 'a cat', kind: 'image', createdAt: at, completedAt: at, error: 'generation failed' });
}

it('runs billing alone: it depends on nothing', () => {
  expect(slice.modules).toEqual({ inSlice: ['billing'], stubbed: [] });
});

it('refunds a failed job once, however often media.job.failed arrives', async () => {
  const accountId = randomUUID();
  const jobId = randomUUID();
  await billing.openAccount({ accountId, initialCredits: 3 });
  await billing.charge({ accountId, jobId, amount: 1 });
  expect((await billing.statement(accountId)).credits).toBe(2);

  const refunded = await slice
    .scenario()
    .publish(failedJob(accountId, jobId))
    .andWaitForStateChange(() => billing.statement(accountId), (statement) => statement.credits === 3);
  expect(refunded.ledger.map((entry) => entry.reason)).toEqual(['grant', 'job-charge', 'job-refund']);

  // Delivered again (at least once): while the outbox settles, no refund is taken twice.
  await slice.scenario().publish(failedJob(accountId, jobId)).andExpectNoEvent(MediaJobCompleted, { within: 300 });
  expect((await billing.statement(accountId)).credits).toBe(3);
});

it("caches an account's statement until its balance changes, then reads it again", async () => {
  const accountId = randomUUID();
  await billing.openAccount({ accountId, initialCredits: 5 });
  expect((await billing.statement(accountId)).credits).toBe(5);
  // Behind billing's back (a module's own test may touch its tables): the cached statement is what a read returns.
  const dataSource = slice.get(DataSource);
  await dataSource.query('UPDATE billing_balances SET credits = 99 WHERE account_id = ?', [accountId]);
  expect((await billing.statement(accountId)).credits).toBe(5);
  // A charge changes the balance: the statement is read from the database again.
  await billing.charge({ accountId, jobId: randomUUID(), amount: 1 });
  expect((await billing.statement(accountId)).credits).toBe(98);
});
