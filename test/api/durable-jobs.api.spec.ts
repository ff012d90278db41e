import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../support/services.js';
import { createAccount, startTestApp, submitJob, waitForJob, type TestApp } from '../support/test-app.js';

const targets = await databaseTargets();

describeOnDatabases('durable media jobs', targets, (target) => {
  let database: TestDatabase;
  let storageDir: string;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await target.provision();
    storageDir = await mkdtemp(join(tmpdir(), 'modulith-durable-'));
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await database?.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  it('resumes a job interrupted by a shutdown when the app starts again on the same database', async () => {
    // First life: generation takes a minute, so the job is surely unfinished when we stop.
    const first = await startTestApp(database.config, { generationMs: 60_000, storageDir });
    apps.push(first);
    const account = await createAccount(first);
    const { id } = await submitJob(first, account.apiKey, 'survives a restart');
    const before = await first.http().get(`/media/jobs/${id}`).expect(200);
    expect(['queued', 'running']).toContain(before.body.status);

    const stopping = Date.now();
    await first.close();
    expect(Date.now() - stopping).toBeLessThan(5_000); // the running generation was aborted, not awaited

    // Second life on the same database: the job is picked up and completes.
    const second = await startTestApp(database.config, { generationMs: 20, storageDir });
    apps.push(second);
    const job = await waitForJob(second, id);
    expect(job.status).toBe('completed');
    const png = await second.http().get(`/media/jobs/${id}/result`).expect(200);
    expect(png.headers['content-type']).toBe('image/png');

    // Charged once at submission, not again on resume, and never refunded.
    const balance = await second.http().get('/billing/balance').set('x-api-key', account.apiKey).expect(200);
    expect(balance.body.credits).toBe(99);
    expect(balance.body.ledger.map((e: { reason: string }) => e.reason)).toEqual(['grant', 'job-charge']);
  });
});
