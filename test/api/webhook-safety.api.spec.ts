import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxStore, type DeliveryView } from 'nest-modulith/events';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../support/services.js';
import { createAccount, startTestApp, submitJob, useTestApp, waitForJob, type TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const targets = await databaseTargets();

/** The outbox delivery of the completed-job webhook for `jobId`, once `ready` holds for it. */
async function webhookDelivery(app: TestApp, jobId: string, ready: (delivery: DeliveryView) => boolean, timeoutMs = 15_000): Promise<DeliveryView> {
  const store = app.app.get(OutboxStore);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deliveries = await store.list({ eventName: 'media.job.completed', limit: 1_000 });
    const delivery = deliveries.find((d) => d.listener === 'notifications.job-completed-webhook' && JSON.parse(d.payload).jobId === jobId);
    if (delivery && ready(delivery)) return delivery;
    if (delivery?.status === 'completed') throw new Error(`the webhook for job ${jobId} was delivered: ${JSON.stringify(delivery)}`);
    if (Date.now() > deadline) throw new Error(`webhook delivery for job ${jobId} not as expected after ${timeoutMs} ms: ${JSON.stringify(delivery)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A receiver on 127.0.0.1 that answers every POST with `status` and a Location header. */
async function redirector(status: number, location: string): Promise<{ url: string; posts: number; close(): Promise<void> }> {
  const state = { posts: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.posts++;
      res.writeHead(status, { location }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    get posts() {
      return state.posts;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describeOnDatabases('webhook address safety', targets, (target) => {
  describe('signup, with no WEBHOOK_ALLOWED_HOSTS', () => {
    const app = useTestApp(target, { webhookAllowedHosts: [] });

    it.each([
      ['http://127.0.0.1:22/', 'must point to a public address: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
      ['http://169.254.169.254/latest/meta-data/', 'must point to a public address: 169.254.169.254 is a metadata address'],
      ['http://10.0.0.1/', 'must point to a public address: 10.0.0.1 is a private address (10.0.0.0/8)'],
      ['http://172.16.0.1/', 'must point to a public address: 172.16.0.1 is a private address (172.16.0.0/12)'],
      ['http://192.168.0.1/', 'must point to a public address: 192.168.0.1 is a private address (192.168.0.0/16)'],
      ['http://100.64.0.1/', 'must point to a public address: 100.64.0.1 is a private address (100.64.0.0/10: carrier-grade NAT)'],
      ['http://169.254.1.1/', 'must point to a public address: 169.254.1.1 is a link-local address'],
      ['http://0x7f000001/', 'must point to a public address: 127.0.0.1 is a loopback address'],
      ['http://017700000001/', 'must point to a public address: 127.0.0.1 is a loopback address'],
      ['http://2130706433/', 'must point to a public address: 127.0.0.1 is a loopback address'],
      ['http://127.1/', 'must point to a public address: 127.0.0.1 is a loopback address'],
      ['http://0/', 'must point to a public address: 0.0.0.0 is an unspecified address'],
      ['http://0.0.0.0/', 'must point to a public address: 0.0.0.0 is an unspecified address'],
      ['http://[::1]/', 'must point to a public address: ::1 is a loopback address'],
      ['http://[::]/', 'must point to a public address: :: is an unspecified address'],
      ['http://[::ffff:127.0.0.1]/', 'must point to a public address: ::ffff:7f00:1 is a loopback address (127.0.0.0/8: IPv4-mapped 127.0.0.1)'],
      ['http://[fe80::1]/', 'must point to a public address: fe80::1 is a link-local address'],
      ['http://[fd00::1]/', 'must point to a public address: fd00::1 is a unique-local address'],
      ['http://224.0.0.1/', 'must point to a public address: 224.0.0.1 is a multicast address'],
      ['http://255.255.255.255/', 'must point to a public address: 255.255.255.255 is a broadcast address'],
      ['http://localhost:3000/hooks', 'must point to a public address: localhost is a loopback name'],
      ['http://metadata.google.internal/computeMetadata/v1/', 'must point to a public address: metadata.google.internal is a cloud metadata name'],
      ['http://user:pass@hooks.example.com/', 'must not contain credentials'],
      ['ftp://hooks.example.com/', 'must use http or https (got ftp)'],
      ['not a url', 'must be an absolute http:// or https:// URL'],
    ])('refuses %s with 400 naming the reason', async (webhookUrl, reason) => {
      const response = await app.http().post('/accounts').send({ name: 'Mallory', webhookUrl }).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [expect.stringContaining(`webhookUrl ${reason}`)] });
    });

    it('accepts a public URL (its DNS answer is checked at delivery)', async () => {
      await createAccount(app, { name: 'Ada', webhookUrl: 'https://hooks.example.com/modulith?v=1' });
      await createAccount(app, { name: 'Ada', webhookUrl: 'http://8.8.8.8:8080/hooks' });
    });
  });

  describe('delivery', () => {
    // WEBHOOK_ALLOWED_HOSTS=127.0.0.1, where the receivers listen.
    const app = useTestApp(target);
    let internal: WebhookReceiver;

    beforeAll(async () => {
      internal = await WebhookReceiver.start();
    });
    afterAll(async () => {
      await internal?.close();
    });

    it.each([302, 307])('does not follow a %i to an internal address: the attempt fails with the status and is retried', async (status) => {
      const bouncer = await redirector(status, internal.url);
      try {
        const account = await createAccount(app, { name: 'bouncer', webhookUrl: bouncer.url });
        const { id } = await submitJob(app, account.apiKey, `bounced by a ${status}`);
        expect((await waitForJob(app, id)).status).toBe('completed');
        // Retried: the bouncer got the POST at least twice, and each attempt failed with the status.
        const delivery = await webhookDelivery(app, id, (d) => d.lastError !== null && bouncer.posts >= 2);
        expect(delivery.status).not.toBe('completed');
        expect(delivery.lastError).toContain(`receiver answered HTTP ${status}, a redirect, which is never followed`);
        expect(bouncer.posts).toBeGreaterThanOrEqual(2);
        expect(internal.received).toEqual([]);
      } finally {
        await bouncer.close();
      }
    });
  });

  describe('delivery to a URL stored before the allow-list narrowed', () => {
    let database: TestDatabase;
    const apps: TestApp[] = [];

    beforeAll(async () => {
      database = await target.provision();
    });
    // Two lives of the app (and, over NATS, of the media process): generous under a loaded CI machine.
    afterAll(async () => {
      for (const app of apps) await app.close().catch(() => undefined);
      await database?.drop();
    }, 60_000);

    it('checks the address it connects to, after DNS: localhost and 127.0.0.1 are refused, and nothing reaches the receiver', async () => {
      const receiver = await WebhookReceiver.start();
      try {
        // First life: 127.0.0.1 allowed, so both URLs pass signup.
        const first = await startTestApp(database.config, { webhookAllowedHosts: ['127.0.0.1'] });
        apps.push(first);
        const port = new URL(receiver.url).port;
        const byName = await createAccount(first, { name: 'by name', webhookUrl: `http://localhost:${port}/hooks` });
        const byAddress = await createAccount(first, { name: 'by address', webhookUrl: receiver.url });
        await first.close();

        // Second life on the same database: only 10.0.0.0/8 is allowed now.
        const second = await startTestApp(database.config, { webhookAllowedHosts: ['10.0.0.0/8'] });
        apps.push(second);
        const named = await submitJob(second, byName.apiKey, 'to localhost');
        const literal = await submitJob(second, byAddress.apiKey, 'to 127.0.0.1');
        const namedDelivery = await webhookDelivery(second, named.id, (d) => d.attempts >= 2 && d.lastError !== null);
        const literalDelivery = await webhookDelivery(second, literal.id, (d) => d.attempts >= 2 && d.lastError !== null);

        // The name passes the URL check at delivery; the address it resolves to does not.
        expect(namedDelivery.lastError).toContain('localhost resolves to no public address: 127.0.0.1 is a loopback address (127.0.0.0/8)');
        expect(literalDelivery.lastError).toContain('webhook URL must point to a public address: 127.0.0.1 is a loopback address (127.0.0.0/8)');
        for (const delivery of [namedDelivery, literalDelivery]) expect(delivery.status).not.toBe('completed');
        expect(receiver.received).toEqual([]);
        expect((await waitForJob(second, named.id)).status).toBe('completed');

        // The same allow-list governs signup: 10.0.0.0/8 is accepted now, 127.0.0.1 no longer.
        await createAccount(second, { name: 'allowed private', webhookUrl: 'http://10.1.2.3/hooks' });
        await second.http().post('/accounts').send({ name: 'x', webhookUrl: receiver.url }).expect(400);
      } finally {
        await receiver.close();
      }
    }, 120_000);
  });
});
