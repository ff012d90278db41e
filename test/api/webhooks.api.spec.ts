import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { databaseTargets, describeOnDatabases } from '../support/services.js';
import { createAccount, submitJob, useTestApp, waitForJob } from '../support/test-app.js';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';

const targets = await databaseTargets();

/** What a receiver does, written independently of the app's own signing code. */
function expectValidSignature(hook: ReceivedWebhook, secret: string): void {
  const expected = `sha256=${createHmac('sha256', secret).update(hook.rawBody).digest('hex')}`;
  expect(hook.headers['x-modulith-signature']).toBe(expected);
}

describeOnDatabases('job outcome webhooks', targets, (target) => {
  const app = useTestApp(target);
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await receiver?.close();
  });

  it('POSTs a signed media.job.completed event to the account webhook', async () => {
    const account = await createAccount(app, { name: 'hooked', webhookUrl: receiver.url });
    const { id } = await submitJob(app, account.apiKey, 'a signed sunrise');
    const hook = await receiver.next((h) => h.json.data.jobId === id);

    expect(hook.headers['content-type']).toMatch(/^application\/json/);
    expectValidSignature(hook, account.webhookSecret);
    expect(hook.json).toEqual({
      id: expect.any(String),
      type: 'media.job.completed',
      data: expect.objectContaining({
        jobId: id,
        accountId: account.id,
        status: 'completed',
        resultUrl: `/media/jobs/${id}/result`,
      }),
    });
    // Signed with this account's secret, not someone else's.
    const stranger = await createAccount(app, { name: 'stranger' });
    const forged = `sha256=${createHmac('sha256', stranger.webhookSecret).update(hook.rawBody).digest('hex')}`;
    expect(hook.headers['x-modulith-signature']).not.toBe(forged);
  });

  it('POSTs a signed media.job.failed event, with a fresh event id per event', async () => {
    const account = await createAccount(app, { name: 'hooked', webhookUrl: receiver.url });
    const { id } = await submitJob(app, account.apiKey, 'this will [fail]');
    const hook = await receiver.next((h) => h.json.data.jobId === id);

    expectValidSignature(hook, account.webhookSecret);
    expect(hook.json.type).toBe('media.job.failed');
    expect(hook.json.data).toMatchObject({ jobId: id, accountId: account.id, status: 'failed', error: expect.stringContaining('[fail]') });
    expect(hook.json.data).not.toHaveProperty('resultUrl');
    const ids = receiver.received.map((h) => h.json.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('retries while the receiver is down and delivers every webhook once it is up, with the same event id', async () => {
    const flaky = await WebhookReceiver.start(503);
    try {
      const account = await createAccount(app, { name: 'flaky', webhookUrl: flaky.url });
      const jobs = [await submitJob(app, account.apiKey, 'first while down'), await submitJob(app, account.apiKey, 'second [fail] while down')];
      // Down for a while: each webhook is attempted more than once and refused.
      for (const job of jobs) {
        await flaky.next((h) => h.json.data.jobId === job.id && flaky.received.filter((r) => r.json.data.jobId === job.id).length >= 2);
      }
      flaky.respondWith(204);
      for (const job of jobs) await flaky.next((h) => h.json.data.jobId === job.id && h.statusCode === 204);

      for (const job of jobs) {
        const attempts = flaky.received.filter((h) => h.json.data.jobId === job.id);
        expect(attempts.length).toBeGreaterThanOrEqual(3);
        expect(attempts.filter((h) => h.statusCode === 204)).toHaveLength(1);
        // Every retry is the same event: same id, same body, a valid signature.
        expect(new Set(attempts.map((h) => h.json.id)).size).toBe(1);
        expect(new Set(attempts.map((h) => h.rawBody.toString())).size).toBe(1);
        for (const hook of attempts) expectValidSignature(hook, account.webhookSecret);
      }
      expect(flaky.received.find((h) => h.json.data.jobId === jobs[1].id)?.json.type).toBe('media.job.failed');
    } finally {
      await flaky.close();
    }
  });

  it('finishes the job even when the receiver is down or answers 500', async () => {
    const broken = await WebhookReceiver.start(500);
    const gone = await WebhookReceiver.start();
    await gone.close(); // nothing listens on its port any more
    try {
      const answers500 = await createAccount(app, { name: 'a', webhookUrl: broken.url });
      const unreachable = await createAccount(app, { name: 'b', webhookUrl: gone.url });
      const first = await submitJob(app, answers500.apiKey, 'despite a 500');
      const second = await submitJob(app, unreachable.apiKey, 'despite a dead receiver');
      await broken.next((h) => h.json.data.jobId === first.id);
      expect((await waitForJob(app, first.id)).status).toBe('completed');
      expect((await waitForJob(app, second.id)).status).toBe('completed');
      // The app still serves requests afterwards.
      await app.http().get('/').expect(200);
    } finally {
      await broken.close();
    }
  });
});
