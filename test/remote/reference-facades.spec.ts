// @modulith-covers remote
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects } from 'nest-modulith';
import { loadConfig } from '../../app/config.js';
import { createApp } from '../../app/create-app.js';
import { uniqueNamespace } from './support/apps.js';
import { describeWhen, NATS_URL, natsUnavailable, rawCall } from './support/nats.js';

// The reference app's facades served on the broker, called by a raw NATS client with arguments of
// the wrong type. Each facade checks its inputs: a wrong type is a 400 (BadRequestException) naming
// the argument, never a database error, and nothing of the database (SQL, driver or ORM names)
// reaches the caller.

/** Words that only the database layer would write. */
const INTERNALS = /QueryFailedError|TypeORM|SQLITE|select |from "|where |relations|driver|query|\n\s+at /i;

describeWhen(await natsUnavailable(), "the reference app's facades facing wrong-typed arguments", () => {
  const namespace = uniqueNamespace('refapp');
  let dir: string;
  let app: INestApplication;
  let raw: NatsConnection;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modulith-refapp-'));
    const config = loadConfig(
      {
        DATABASE_URL: `sqlite:${join(dir, 'app.sqlite')}`,
        MEDIA_STORAGE_DIR: join(dir, 'media'),
        // Every module here but notifications (no facade): accounts, billing and media serve their facades.
        MODULITH_REMOTE: 'notifications',
        MODULITH_BROKER_URL: NATS_URL,
        MODULITH_NAMESPACE: namespace,
        MODULITH_STRICT: '1',
        MODULITH_BROKER_INSECURE: '1',
      },
      dir,
    );
    app = await createApp(config, { logger: false });
    raw = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await raw?.close();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function call(module: string, facade: string, method: string, args: unknown[]): Promise<any> {
    const started = performance.now();
    const reply = await rawCall(raw, subjects.facade(namespace, module, facade), { method, args });
    expect(performance.now() - started).toBeLessThan(1500);
    return reply.response;
  }

  it.each([
    ['no argument', []],
    ['a query operator object', [{ $gt: '' }]],
    ['a number', [42]],
    ['null', [null]],
    ['an array', [['a', 'b']]],
    ['an empty string', ['']],
  ])('MediaFacade.getJob with %s is a 400 naming jobId, without SQL or internal names', async (_label, args) => {
    const response = await call('media', 'MediaFacade', 'getJob', args);

    expect(response).toEqual({
      ok: false,
      error: {
        name: 'BadRequestException',
        message: expect.stringMatching(/^MediaFacade\.getJob: jobId must be a non-empty string/),
        status: 400,
        response: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/^MediaFacade\.getJob: jobId/) },
        errorId: expect.any(String),
      },
    });
    expect(JSON.stringify(response)).not.toMatch(INTERNALS);
  });

  it('MediaFacade.getJob with a well-formed id still answers null for an unknown job', async () => {
    expect(await call('media', 'MediaFacade', 'getJob', ['no-such-job'])).toEqual({ ok: true, value: null });
  });

  it.each([
    ['BillingFacade', 'billing', 'charge', [], /input must be an object/],
    ['BillingFacade', 'billing', 'charge', ['acc-1'], /input must be an object/],
    ['BillingFacade', 'billing', 'charge', [{ accountId: 1, jobId: 'j-1', amount: 1 }], /input\.accountId must be a non-empty string/],
    ['BillingFacade', 'billing', 'charge', [{ accountId: 'acc-1', jobId: { $ne: null }, amount: 1 }], /input\.jobId must be a non-empty string/],
    ['BillingFacade', 'billing', 'charge', [{ accountId: 'acc-1', jobId: 'j-1', amount: '5' }], /input\.amount must be a positive integer/],
    ['BillingFacade', 'billing', 'charge', [{ accountId: 'acc-1', jobId: 'j-1', amount: -5 }], /input\.amount must be a positive integer/],
    ['BillingFacade', 'billing', 'refund', [{ accountId: ['acc-1'], jobId: 'j-1' }], /input\.accountId must be a non-empty string/],
    ['BillingFacade', 'billing', 'refund', [null], /input must be an object/],
    ['BillingFacade', 'billing', 'openAccount', [{ accountId: 'acc-1', initialCredits: 1e6 + 0.5 }], /input\.initialCredits must be a non-negative integer/],
    ['BillingFacade', 'billing', 'openAccount', [{ accountId: 'acc-1', initialCredits: '1000000' }], /input\.initialCredits must be a non-negative integer/],
    ['BillingFacade', 'billing', 'openAccount', [{ initialCredits: 1 }], /input\.accountId must be a non-empty string/],
    ['BillingFacade', 'billing', 'statement', [{ $gt: '' }], /accountId must be a non-empty string/],
    ['AccountsFacade', 'accounts', 'authenticate', [], /apiKey must be a non-empty string/],
    ['AccountsFacade', 'accounts', 'authenticate', [123], /apiKey must be a non-empty string/],
    ['AccountsFacade', 'accounts', 'authenticate', [{ $gt: '' }], /apiKey must be a non-empty string/],
    ['AccountsFacade', 'accounts', 'webhookTarget', [{ $gt: '' }], /accountId must be a non-empty string/],
    ['AccountsFacade', 'accounts', 'webhookTarget', [], /accountId must be a non-empty string/],
  ])('%s (module %s) .%s(%j) is a 400 with a clear message', async (facade, module, method, args, message) => {
    const response = await call(module as string, facade as string, method as string, args as unknown[]);

    expect(response.ok).toBe(false);
    expect(response.error).toMatchObject({ name: 'BadRequestException', status: 400, message: expect.stringMatching(message) });
    expect(response.error.message.startsWith(`${facade}.${method}: `)).toBe(true);
    expect(JSON.stringify(response)).not.toMatch(INTERNALS);
  });

  it('well-formed calls still work', async () => {
    expect(await call('accounts', 'AccountsFacade', 'authenticate', ['mk_unknown'])).toEqual({ ok: true, value: null });
    expect(await call('accounts', 'AccountsFacade', 'webhookTarget', ['no-such-account'])).toEqual({ ok: true, value: null });
    expect(await call('billing', 'BillingFacade', 'statement', ['no-such-account'])).toEqual({ ok: true, value: { accountId: 'no-such-account', credits: 0, ledger: [] } });
  });
});
