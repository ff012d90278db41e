// @modulith-covers remote, billing, extraction
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import request from 'supertest';
import { generateUserNkey, nkeyAuthenticator } from 'nest-modulith';
import { provisionEventRelay } from 'nest-modulith/events';
import { loadConfig } from '../../app/config.js';
import { BillingFacade } from '../../modules/billing/index.js';
import { createApp } from '../../app/create-app.js';
import { analyzeBrokerAccess, brokerConfigFiles, writeDeploymentFiles, type BrokerAccess, type ProcessAccess } from '../../src/extraction/index.js';
import { uniqueNamespace } from './support/apps.js';
import { describeWhen, natsServerUnavailable, startNatsServer, type OwnNatsServer } from './support/nats.js';

// The reference app split in two (media in its own process, the rest in the monolith) on a real
// nats-server that runs the authorization `modulith broker-config media` writes from the module
// graph: one nkey user per process. Everything the graph allows works (the monolith forwards
// /media to the media service, whose guard calls AccountsFacade.authenticate and whose jobs call
// BillingFacade.charge in the monolith; media.job.failed crosses back over JetStream and billing
// refunds), and the broker itself refuses the rest: the media service's own credential cannot
// call BillingFacade.openAccount or AccountsFacade.webhookTarget, listen in on billing's calls,
// read the monolith's replies or events, or create a consumer that delivers into a facade; a
// client without a key is not let in. Before this, any client on the broker could do all of it.

const NAMESPACE = uniqueNamespace('authz');

describeWhen(natsServerUnavailable(), 'the reference app on a broker running the generated authorization', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-authz-'));
  let access: BrokerAccess;
  let broker: OwnNatsServer;
  let media: ChildProcess | undefined;
  let mediaOutput = '';
  let monolith: INestApplication | undefined;
  const raw: NatsConnection[] = [];
  const seeds: Record<string, string> = {};

  const processOf = (name: string): ProcessAccess => access.processes.find((p) => p.name === name)!;
  const http = () => request(monolith!.getHttpServer());

  beforeAll(async () => {
    access = await analyzeBrokerAccess({ rootDir: process.cwd(), services: [['media']], namespace: NAMESPACE });
    const { files, users } = brokerConfigFiles(access, { outDir: 'nats', command: 'modulith broker-config media' });
    writeDeploymentFiles(dir, files, 'broker-config');
    for (const user of users) seeds[user.name] = /^MODULITH_BROKER_NKEY_SEED=(\S+)$/m.exec(readFileSync(join(dir, user.envFile), 'utf8'))![1];

    broker = await startNatsServer(['-c', join(dir, 'nats/auth.conf'), '-js', '-sd', join(dir, 'jetstream')]);
    // The processes may not create the stream or their consumers: the provisioning user does, once.
    await provisionEventRelay({
      broker: { url: broker.url, namespace: NAMESPACE, timeoutMs: 5000, nkeySeed: seeds.provision, inboxPrefix: access.provisioner!.inboxPrefix },
      origins: access.processes.map((p) => p.placement),
    });

    const common = {
      MODULITH_NAMESPACE: NAMESPACE,
      MODULITH_BROKER_URL: broker.url,
      MODULITH_STRICT: '1',
      MEDIA_GENERATION_MS: '20',
      MEDIA_STORAGE_DIR: join(dir, 'media-files'),
      EVENTS_BACKOFF_MS: '20',
      EVENTS_MAX_BACKOFF_MS: '200',
      EVENTS_POLL_MS: '20',
    };
    media = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'app/main.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        ...common,
        MODULITH_BROKER_INSECURE: '',
        MODULITH_REMOTE: '',
        MODULITH_SERVE: 'media',
        MODULITH_BROKER_NKEY_SEED: seeds['serve-media'],
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir, 'media.sqlite')}`,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        mediaOutput = (mediaOutput + chunk).slice(-50_000);
        if (mediaOutput.includes('listening on')) resolve();
      };
      media!.stdout!.on('data', onData);
      media!.stderr!.on('data', onData);
      media!.once('exit', (code) => reject(new Error(`the media service exited (${code}) before it was ready:\n${mediaOutput}`)));
    });

    const config = loadConfig({
      ...common,
      MODULITH_REMOTE: 'media',
      MODULITH_BROKER_NKEY_SEED: seeds.monolith,
      DATABASE_URL: `sqlite:${join(dir, 'monolith.sqlite')}`,
    });
    monolith = await createApp(config, { logger: ['error'] });
  });

  afterAll(async () => {
    await Promise.allSettled(raw.map((nc) => nc.close()));
    await monolith?.close();
    if (media && media.exitCode === null) {
      const exited = new Promise((resolve) => media!.once('exit', resolve));
      media.kill('SIGTERM');
      await exited;
    }
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A raw NATS client holding the credential of one of the generated users (and its inbox, as the processes use it). */
  async function as(name: string): Promise<NatsConnection> {
    const process = access.processes.find((p) => p.name === name);
    const nc = await connect({
      servers: broker.url,
      authenticator: nkeyAuthenticator(seeds[name]),
      inboxPrefix: process?.inboxPrefix ?? access.provisioner!.inboxPrefix,
      reconnect: false,
    } as NodeConnectionOptions);
    raw.push(nc);
    return nc;
  }

  const call = (method: string, args: unknown[]) => JSON.stringify({ pattern: 'raw', id: 'raw-1', data: { method, args } });
  const publishRefused = (subject: string) => new RegExp(`Permissions Violation for Publish to "${subject.replace(/[.*>$]/g, '\\$&')}"`);

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nmedia service:\n${mediaOutput.slice(-5000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('derives from the graph that media may call only what its code and the app shell call', () => {
    const calls = processOf('serve-media').calls.map((c) => `${c.facade}.${c.method}`);
    expect(calls).toContain('AccountsFacade.authenticate'); // the app shell's guard, on media's routes
    expect(calls).toContain('BillingFacade.charge');
    expect(calls).not.toContain('BillingFacade.openAccount');
    expect(calls).not.toContain('AccountsFacade.webhookTarget');
    expect(processOf('monolith').http.forwards).toEqual(['media']);
  });

  it('runs the two-process scenario: calls both ways and events relayed, with no permission violation', async () => {
    const account = (await http().post('/accounts').send({ name: 'Ada' }).expect(201)).body as { apiKey: string; credits: number };
    const key = { 'x-api-key': account.apiKey };
    // monolith -> media (forwarded HTTP); media -> accounts (the guard) and -> billing (the charge).
    const job = (await http().post('/media/jobs').set(key).send({ prompt: 'a lighthouse at dusk', kind: 'image' }).expect(202)).body as { id: string };
    await until('the job to complete', async () => {
      const view = (await http().get(`/media/jobs/${job.id}`).set(key).expect(200)).body as { status: string };
      return view.status === 'completed' ? view : undefined;
    });
    // media.job.failed goes from media's outbox over JetStream to the monolith, where billing refunds.
    const failing = (await http().post('/media/jobs').set(key).send({ prompt: 'this one [fail]s', kind: 'image' }).expect(202)).body as { id: string };
    const refunded = await until('the refund of the failed job', async () => {
      const balance = (await http().get('/billing/balance').set(key).expect(200)).body as { credits: number; ledger: Array<{ reason: string; jobId?: string }> };
      return balance.ledger.some((entry) => entry.reason === 'job-refund' && entry.jobId === failing.id) ? balance : undefined;
    });
    expect(refunded.credits).toBe(account.credits - 1);
    expect(broker.count(/Violation/)).toBe(0);
  });

  it("refuses, in the broker, media's credential calling facade methods its graph does not use", async () => {
    const nc = await as('serve-media');
    const allowed = new Set(processOf('serve-media').calls.map((c) => c.subject));
    const billing = `${NAMESPACE}.facade.billing.BillingFacade`;
    const accounts = `${NAMESPACE}.facade.accounts.AccountsFacade`;
    const attempts: Array<[string, string, unknown[]]> = [
      [`${billing}.openAccount`, 'openAccount', [{ accountId: 'attacker', initialCredits: 1_000_000 }]],
      [`${billing}.statement`, 'statement', ['victim']],
      [`${accounts}.webhookTarget`, 'webhookTarget', ['victim']],
      // The facade's own subject (the method only in the body) is nobody's to publish to.
      [billing, 'refund', [{ accountId: 'attacker', jobId: 'j-1' }]],
      [accounts, 'webhookTarget', ['victim']],
      // Nor the HTTP of modules served by the monolith, nor a module it does not call at all.
      [`${NAMESPACE}.http.billing`, 'x', []],
    ];
    for (const [subject, method, args] of attempts) {
      expect(allowed.has(subject)).toBe(false);
      await expect(nc.request(subject, call(method, args), { timeout: 3000 })).rejects.toThrow(publishRefused(subject));
    }
    if (!allowed.has(`${billing}.refund`)) {
      await expect(nc.request(`${billing}.refund`, call('refund', [{ accountId: 'a', jobId: 'j' }]), { timeout: 3000 })).rejects.toThrow(publishRefused(`${billing}.refund`));
    }
    // The control: a method its code does call goes through the broker (and is answered by billing).
    const reply = JSON.parse((await nc.request(`${billing}.charge`, call('charge', [{ accountId: 'nobody', jobId: 'j-0', amount: 1 }]), { timeout: 3000 })).string());
    expect(reply.response.ok).toBe(false);
    expect(reply.response.error.code).toBe('billing.insufficient-credits');
    // The broker logs each refusal (so the scenario above, which logged none, stayed inside its permissions).
    await broker.logged(/Publish Violation/, attempts.length);

    // An allowed subject carrying another method in its body: billing refuses it, and runs nothing.
    const smuggled = JSON.parse((await nc.request(`${billing}.charge`, call('openAccount', [{ accountId: 'smuggled', initialCredits: 1_000_000 }]), { timeout: 3000 })).string());
    expect(smuggled.response).toMatchObject({ ok: false, error: { name: 'RemoteCallRefused', code: 'modulith.call-refused' } });
    expect(smuggled.response.error.message).toContain("the call was sent to the subject of method 'charge' but names 'openAccount'");
    expect(await monolith!.get(BillingFacade).statement('smuggled')).toMatchObject({ credits: 0, ledger: [] });
  });

  it("refuses the monolith's credential calling media's facade, which its code does not", async () => {
    const nc = await as('monolith');
    const subject = `${NAMESPACE}.facade.media.MediaFacade.getJob`;
    expect(processOf('monolith').calls.map((c) => c.subject)).not.toContain(subject);
    await expect(nc.request(subject, call('getJob', ['any']), { timeout: 3000 })).rejects.toThrow(publishRefused(subject));
  });

  it("refuses media's credential listening in: billing's calls, other processes' replies", async () => {
    const nc = await as('serve-media');
    for (const subject of [`${NAMESPACE}.facade.billing.BillingFacade.*`, `${NAMESPACE}.facade.>`, '_INBOX.>', `${processOf('monolith').inboxPrefix}.>`, '>']) {
      const sub = nc.subscribe(subject);
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([sub.closed, new Promise((resolve) => (timer = setTimeout(() => resolve('still open'), 3000)))]);
      clearTimeout(timer);
      expect(String(closed)).toMatch(/Permissions Violation for Subscription to/);
    }
  });

  it("refuses media's credential the JetStream calls that would reach further: a consumer delivering into a facade, another process's events", async () => {
    const nc = await as('serve-media');
    const jsm = await jetstreamManager(nc);
    const stream = access.stream!;
    await expect(
      jsm.consumers.add(stream, { durable_name: 'evil', deliver_subject: `${NAMESPACE}.facade.billing.BillingFacade.refund`, ack_policy: AckPolicy.Explicit }),
    ).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.CONSUMER\./);
    await expect(jsm.streams.update(stream, { subjects: [`${NAMESPACE}.events.>`, `${NAMESPACE}.facade.>`] })).rejects.toThrow(/Permissions Violation for Publish/);
    await expect(jsm.streams.delete(stream)).rejects.toThrow(/Permissions Violation for Publish/);
    const monolithDurable = processOf('monolith').events.consumer!.durable;
    await expect(jetstream(nc).consumers.get(stream, monolithDurable)).rejects.toThrow(/Permissions Violation for Publish/);
    // Events of other modules cannot be forged either.
    await expect(jetstream(nc).publish(`${NAMESPACE}.events.billing.account.opened`, '{}', { timeout: 3000 })).rejects.toThrow(/Permissions Violation for Publish/);
  });

  it('never makes a process publish where its caller points the reply: the monolith cannot have media delete the event stream', async () => {
    const nc = await as('monolith');
    const stream = access.stream!;
    const before = broker.count(/Publish Violation/);
    // A well-formed forwarded request whose reply subject is a JetStream API call, then one naming another facade.
    const forwarded = JSON.stringify({ pattern: 'raw', id: 'raw-2', data: { method: 'GET', url: '/media/jobs/none', headers: {} } });
    nc.publish(`${NAMESPACE}.http.media`, forwarded, { reply: `$JS.API.STREAM.DELETE.${stream}` });
    nc.publish(`${NAMESPACE}.http.media`, forwarded, { reply: `${NAMESPACE}.facade.billing.BillingFacade.openAccount` });
    await nc.flush();
    await broker.logged(/Publish Violation/, before + 2);
    const provision = await as('provision');
    expect((await (await jetstreamManager(provision)).streams.info(stream)).config.name).toBe(stream);
  });

  it('lets in no client without a key, nor one with a key the configuration does not name', async () => {
    await expect(connect({ servers: broker.url, reconnect: false })).rejects.toThrow(/Authorization Violation/);
    await expect(connect({ servers: broker.url, reconnect: false, authenticator: nkeyAuthenticator(generateUserNkey().seed) } as NodeConnectionOptions)).rejects.toThrow(/Authorization Violation/);
  });
});
