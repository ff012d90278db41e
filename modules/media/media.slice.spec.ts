import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import { BillingFacade, InsufficientCreditsError } from '../billing/index.js';
import { MediaJobCompleted, MediaJobFailed } from '../media-events/index.js';
import { MediaFacade } from './media.facade.js';
import { MediaJob } from './media-job.entity.js';
import { MediaJobRunner } from './media-job-runner.js';
import { MediaJobStore } from './media-job-store.js';
import { MediaModule } from './media.module.js';
import { MediaJobsService } from './media-jobs.service.js';
import { MediaSettings } from './media.settings.js';

// Media alone, billing stubbed: jobs are charged through the stub, run by the real runner and
// generator, and their outcome is published through the real outbox.
let slice: ModuleSlice;
let storageDir: string;
beforeAll(async () => {
  storageDir = mkdtempSync(join(tmpdir(), 'media-slice-'));
  const settings: MediaSettings = { generationMs: 10, storageDir, leaseMs: 5_000 };
  slice = await ModuleTest.create(MediaModule, { providers: [{ provide: MediaSettings, useValue: settings }] });
});
afterAll(async () => {
  await slice.close();
  rmSync(storageDir, { recursive: true, force: true });
});
beforeEach(() => {
  slice.stubs.of(BillingFacade).reset().on('charge', async ({ accountId }) => ({ accountId, credits: 9 }));
});

const submission = (prompt: string) => ({ accountId: 'acc-1', prompt, kind: 'image' as const });

it('runs media alone, billing stubbed', () => {
  expect(slice.modules).toEqual({ inSlice: ['media'], stubbed: ['billing'] });
});

it('charges a submitted job through billing, completes it and publishes MediaJobCompleted', async () => {
  const jobs = slice.get(MediaJobsService);
  const completed = await slice
    .scenario()
    .stimulate(() => jobs.submit(submission('a red fox')))
    .andWaitForEvent(MediaJobCompleted, (event, job) => event.jobId === job.id);
  expect(completed).toMatchObject({ accountId: 'acc-1', prompt: 'a red fox', status: 'completed', resultUrl: `/media/jobs/${completed.jobId}/result` });
  expect(slice.stubs.of(BillingFacade).calls('charge')).toEqual([[expect.objectContaining({ accountId: 'acc-1', jobId: completed.jobId, amount: 1 })]]);
  expect(await slice.get(MediaFacade).getJob(completed.jobId)).toMatchObject({ status: 'completed' });
});

it('publishes MediaJobFailed for a job whose generation fails', async () => {
  const failed = await slice
    .scenario()
    .stimulate(() => slice.get(MediaJobsService).submit(submission('[fail] please')))
    .andWaitForEvent(MediaJobFailed, (event, job) => event.jobId === job.id);
  expect(failed.error).toContain('generation failed');
});

it('discards a job whose charge billing refuses: the submission throws and nothing is published', async () => {
  slice.stubs.of(BillingFacade).throws('charge', new InsufficientCreditsError('acc-1', 1, 0));
  const refused = await slice
    .scenario()
    .stimulate(() => slice.get(MediaJobsService).submit(submission('no credits')).catch((error: unknown) => error))
    .andExpectNoEvent(MediaJobCompleted, { within: 300 });
  expect(InsufficientCreditsError.is(refused)).toBe(true);
  expect(slice.events.published(MediaJobFailed).filter((event) => event.prompt === 'no credits')).toEqual([]);
});

// The stored trace context is data like any other: whatever the column holds, the job runs (only
// its link to the submitting trace is lost).
it.each([
  ['a non-string traceparent', '{"traceparent":123}'],
  ['not JSON', 'not json'],
  ['a 10 kB string', `{"traceparent":"${'0'.repeat(10_000)}"}`],
  ['an array', '["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]'],
  ['JSON null', 'null'],
])('completes a queued job whose stored trace context is %s', async (_, traceContext) => {
  const completed = await slice
    .scenario()
    .stimulate(async () => {
      const id = randomUUID();
      await slice.get(MediaJobStore).record(
        Object.assign(new MediaJob(), {
          id,
          accountId: 'acc-1',
          prompt: 'a damaged trace',
          kind: 'image',
          status: 'queued',
          createdAt: new Date(),
          startedAt: null,
          completedAt: null,
          error: null,
          resultKey: null,
          claimedBy: null,
          leaseUntil: null,
          attempts: 0,
          traceContext,
        } satisfies MediaJob),
      );
      slice.get(MediaJobRunner).wake();
      return { id };
    })
    .andWaitForEvent(MediaJobCompleted, (event, job) => event.jobId === job.id);
  expect(completed).toMatchObject({ status: 'completed', prompt: 'a damaged trace' });
});
