import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../support/services.js';
import { createAccount, startTestApp, useTestApp, submitJob, waitForJob, type CreatedAccount, type TestApp } from '../support/test-app.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const IEND_CHUNK = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

const targets = await databaseTargets();

describeOnDatabases('media jobs over HTTP', targets, (target) => {
  const app = useTestApp(target);

  it('creates an account, runs a job to a PNG and charges one credit', async () => {
    const account = await createAccount(app, { name: 'Ada' });
    expect(account).toEqual({ id: expect.any(String), apiKey: expect.any(String), webhookSecret: expect.any(String), credits: 100 });

    const submitted = await submitJob(app, account.apiKey, 'a lighthouse at dusk');
    expect(submitted).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });

    const job = await waitForJob(app, submitted.id);
    expect(job).toEqual({
      id: submitted.id,
      status: 'completed',
      prompt: 'a lighthouse at dusk',
      kind: 'image',
      createdAt: expect.any(String),
      completedAt: expect.any(String),
      resultUrl: `/media/jobs/${submitted.id}/result`,
    });
    expect(Date.parse(job.completedAt as string)).toBeGreaterThanOrEqual(Date.parse(job.createdAt as string));

    const result = await app.http().get(job.resultUrl as string).expect(200);
    expect(result.headers['content-type']).toBe('image/png');
    const png = result.body as Buffer; // superagent buffers image/* bodies
    expect(Buffer.isBuffer(png)).toBe(true);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.readUInt32BE(16)).toBe(64); // IHDR width
    expect(png.readUInt32BE(20)).toBe(64); // IHDR height
    expect(png.subarray(-12).equals(IEND_CHUNK)).toBe(true); // the file ends exactly after IEND
    expect(Number(result.headers['content-length'])).toBe(png.length);

    const balance = await app.http().get('/billing/balance').set('x-api-key', account.apiKey).expect(200);
    expect(balance.body.credits).toBe(99);
    expect(balance.body.ledger).toEqual([
      { amount: 100, reason: 'grant', createdAt: expect.any(String) },
      { amount: -1, reason: 'job-charge', jobId: submitted.id, createdAt: expect.any(String) },
    ]);
  });

  it('draws the image from the prompt: same prompt, same PNG; other prompt, other PNG', async () => {
    const account = await createAccount(app);
    const ids = [];
    for (const prompt of ['red fox', 'red fox', 'blue whale']) ids.push((await submitJob(app, account.apiKey, prompt)).id);
    const pngs = [];
    for (const id of ids) {
      await waitForJob(app, id);
      pngs.push((await app.http().get(`/media/jobs/${id}/result`).expect(200)).body as Buffer);
    }
    expect(pngs[0].equals(pngs[1])).toBe(true);
    expect(pngs[0].equals(pngs[2])).toBe(false);
  });

  it('answers 401 without an API key or with an unknown one', async () => {
    const job = { prompt: 'anything', kind: 'image' };
    await app.http().post('/media/jobs').send(job).expect(401);
    await app.http().post('/media/jobs').set('x-api-key', 'mk_not-a-key').send(job).expect(401);
    await app.http().get('/billing/balance').expect(401);
    await app.http().get('/billing/balance').set('x-api-key', 'mk_not-a-key').expect(401);
  });

  it('answers 400 for an invalid body, and charges nothing', async () => {
    const account = await createAccount(app);
    const post = (body: unknown) => app.http().post('/media/jobs').set('x-api-key', account.apiKey).send(body as object);
    await post({ kind: 'image' }).expect(400);
    await post({ prompt: '', kind: 'image' }).expect(400);
    await post({ prompt: 'a cat', kind: 'video' }).expect(400);
    await post({ prompt: 'a cat' }).expect(400);
    const extra = await post({ prompt: 'a cat', kind: 'image', priority: 'high' }).expect(400);
    expect(JSON.stringify(extra.body)).toContain('priority');
    await app.http().post('/accounts').send({}).expect(400);
    await app.http().post('/accounts').send({ name: 'x', webhookUrl: 'not a url' }).expect(400);

    const balance = await app.http().get('/billing/balance').set('x-api-key', account.apiKey).expect(200);
    expect(balance.body.credits).toBe(100);
  });

  it('fails a [fail] prompt and refunds its credit', async () => {
    const account = await createAccount(app);
    const { id } = await submitJob(app, account.apiKey, 'please [fail] now');
    const job = await waitForJob(app, id);
    expect(job).toMatchObject({ id, status: 'failed', error: expect.stringContaining('[fail]'), completedAt: expect.any(String) });
    expect(job).not.toHaveProperty('resultUrl');
    await app.http().get(`/media/jobs/${id}/result`).expect(409);

    const balance = await waitForBalance(app, account, 100);
    expect(balance.ledger).toEqual([
      { amount: 100, reason: 'grant', createdAt: expect.any(String) },
      { amount: -1, reason: 'job-charge', jobId: id, createdAt: expect.any(String) },
      { amount: 1, reason: 'job-refund', jobId: id, createdAt: expect.any(String) },
    ]);
  });

  it("answers 404 for an unknown job and hides another account's job from its key", async () => {
    const owner = await createAccount(app, { name: 'owner' });
    const other = await createAccount(app, { name: 'other' });
    const { id } = await submitJob(app, owner.apiKey, 'a private picture');
    await waitForJob(app, id);

    await app.http().get('/media/jobs/00000000-0000-4000-8000-000000000000').expect(404);
    await app.http().get('/media/jobs/not-a-uuid').expect(404);
    await app.http().get('/media/jobs/00000000-0000-4000-8000-000000000000/result').expect(404);
    await app.http().get(`/media/jobs/${id}`).set('x-api-key', owner.apiKey).expect(200);
    await app.http().get(`/media/jobs/${id}`).set('x-api-key', other.apiKey).expect(404);
    await app.http().get(`/media/jobs/${id}/result`).set('x-api-key', other.apiKey).expect(404);
    await app.http().get(`/media/jobs/${id}/result`).set('x-api-key', owner.apiKey).expect(200);
    // A key is optional here, but one that is sent must be valid.
    await app.http().get(`/media/jobs/${id}`).set('x-api-key', 'mk_not-a-key').expect(401);
  });

  it('accepts concurrent submissions and charges each job exactly once', async () => {
    const account = await createAccount(app);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.http().post('/media/jobs').set('x-api-key', account.apiKey).send({ prompt: `tile ${i}`, kind: 'image' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(202));
    for (const response of responses) await waitForJob(app, response.body.id);
    const balance = await app.http().get('/billing/balance').set('x-api-key', account.apiKey).expect(200);
    expect(balance.body.credits).toBe(92);
    expect(balance.body.ledger.filter((e: { reason: string }) => e.reason === 'job-charge')).toHaveLength(8);
  });

  describe('when credits run out', () => {
    let poorDatabase: TestDatabase;
    let poorApp: TestApp;

    beforeAll(async () => {
      poorDatabase = await target.provision();
      poorApp = await startTestApp(poorDatabase.config, { startingCredits: 1 });
    });

    afterAll(async () => {
      await poorApp?.close();
      await poorDatabase?.drop();
    });

    it('answers 402 and records no job or charge', async () => {
      const account = await createAccount(poorApp);
      expect(account.credits).toBe(1);
      await submitJob(poorApp, account.apiKey, 'the first one is paid for');
      const refused = await poorApp.http().post('/media/jobs').set('x-api-key', account.apiKey).send({ prompt: 'one too many', kind: 'image' });
      expect(refused.status).toBe(402);
      expect(refused.body.message).toMatch(/credits/);

      const balance = await poorApp.http().get('/billing/balance').set('x-api-key', account.apiKey).expect(200);
      expect(balance.body.credits).toBe(0);
      expect(balance.body.ledger.map((e: { reason: string }) => e.reason)).toEqual(['grant', 'job-charge']);
    });
  });
});

async function waitForBalance(app: TestApp, account: CreatedAccount, credits: number): Promise<{ credits: number; ledger: unknown[] }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { body } = await app.http().get('/billing/balance').set('x-api-key', account.apiKey).expect(200);
    if (body.credits === credits || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
