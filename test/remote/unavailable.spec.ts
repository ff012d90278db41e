// @modulith-covers remote
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RemoteCallTimeoutError, RemoteModuleUnavailableError, topologyFromEnv } from 'nest-modulith';
import { CatalogFacade, catalogCalls, finishSlowCalls } from './fixtures/modules/catalog/index.js';
import { ShopFacade } from './fixtures/modules/shop/index.js';
import { brokerOptions, rejectionOf, startApp, uniqueNamespace } from './support/apps.js';
import { describeWhen, freePort, NATS_URL, natsUnavailable } from './support/nats.js';

// What callers of a remote module get when it cannot answer: a 503 at once when no process
// serves it (or the broker is down), a 504 when it answers too slowly; never a call that hangs.

const natsMissing = await natsUnavailable();

describeWhen(natsMissing, 'a remote module that no process serves', () => {
  let calling: INestApplication;

  beforeAll(async () => {
    calling = await startApp({ remote: ['catalog'], broker: brokerOptions(uniqueNamespace('unserved')) });
  });
  afterAll(async () => {
    await calling?.close();
  });

  it('its facade throws RemoteModuleUnavailableError (503) saying how to start one', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).item('abc'));

    expect(error).toBeInstanceOf(RemoteModuleUnavailableError);
    expect(error.getStatus()).toBe(503);
    expect(error.module).toBe('catalog');
    expect(error.message).toBe("module 'catalog' is unavailable: no process serves it (CatalogFacade.item); start one with MODULITH_SERVE=catalog");
  });

  it('a module calling it gets the same error', async () => {
    await expect(calling.get(ShopFacade).quote('abc', 1)).rejects.toBeInstanceOf(RemoteModuleUnavailableError);
  });

  it('the HTTP gateway answers its routes with a 503 JSON body', async () => {
    const response = await request(calling.getHttpServer()).get('/catalog/items/abc').expect(503);

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: "module 'catalog' is unavailable: no process serves it (GET /catalog/items/abc); start one with MODULITH_SERVE=catalog",
    });
  });
});

describeWhen(natsMissing, 'a remote module slower than MODULITH_CALL_TIMEOUT_MS', () => {
  const namespace = uniqueNamespace('slow');
  let serving: INestApplication;
  let calling: INestApplication;

  beforeAll(async () => {
    serving = await startApp({ serve: ['catalog'], broker: brokerOptions(namespace) });
    calling = await startApp(topologyFromEnv({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_URL: NATS_URL, MODULITH_NAMESPACE: namespace, MODULITH_CALL_TIMEOUT_MS: '300', MODULITH_BROKER_INSECURE: '1' }));
  });
  afterAll(async () => {
    await finishSlowCalls();
    await calling?.close();
    await serving?.close();
  });

  it('its facade throws RemoteCallTimeoutError (504) naming the call and the timeout', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).slow(60_000));

    expect(error).toBeInstanceOf(RemoteCallTimeoutError);
    expect(error.getStatus()).toBe(504);
    expect(error.message).toBe("CatalogFacade.slow on module 'catalog' did not answer within 300 ms");
    expect(catalogCalls).toContain('slow:60000');
  });

  it('the HTTP gateway answers with a 504 JSON body', async () => {
    const response = await request(calling.getHttpServer()).get('/catalog/slow?ms=60000').expect(504);

    expect(response.body).toEqual({
      statusCode: 504,
      error: 'Gateway Timeout',
      message: "GET /catalog/slow on module 'catalog' did not answer within 300 ms",
    });
  });
});

describe('a process whose broker is down', () => {
  let output: Array<Record<string, any>> = [];
  let exitCode: number | null = null;
  let stderr = '';

  beforeAll(async () => {
    const child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'test/remote/fixtures/broker-down.ts'], {
      cwd: process.cwd(),
      // A password in the URL, which no message may show.
      env: { ...process.env, BROKER_URL: `nats://shop:hunter2@127.0.0.1:${await freePort()}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    output = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  });

  it('answers remote facade calls with RemoteModuleUnavailableError (503) at once, without the password of the broker URL', () => {
    const call = output.find((line) => line.call)?.call;
    expect(call).toEqual({
      name: 'RemoteModuleUnavailableError',
      status: 503,
      message: expect.stringMatching(/^module 'catalog' is unavailable: the broker at nats:\/\/\*\*\*@127\.0\.0\.1:\d+ is not connected/),
    });
    expect(output).toContainEqual({ closed: true });
    expect(JSON.stringify(output) + stderr).not.toContain('hunter2');
  });

  // Both connections retry the first connect in a loop that close() stops: an app closed while its
  // broker is down (e.g. on SIGTERM) lets its process exit.
  it('lets the process exit once both connections are closed', () => {
    expect(stderr).toBe('');
    expect(output.find((line) => line.stillAlive)).toBeUndefined();
    expect(exitCode).toBe(0);
  });
});

// A process that says it is up (init resolved, "listening on" logged, a readiness probe green)
// must already answer: its subscriptions have reached the broker. Before they were flushed, a
// call right after a (re)start could get "no responders", a 503, for a module that was up.
describeWhen(natsMissing, 'a module process that has just started', () => {
  const namespace = uniqueNamespace('fresh');
  let calling: INestApplication;

  beforeAll(async () => {
    calling = await startApp({ remote: ['catalog'], broker: brokerOptions(namespace) });
  });
  afterAll(async () => {
    await calling?.close();
  });

  it('answers the first call made the moment its app is up, every time', async () => {
    const failures: string[] = [];
    for (let round = 0; round < 25; round++) {
      const serving = await startApp({ serve: ['catalog'], broker: brokerOptions(namespace) });
      try {
        await calling.get(CatalogFacade).item('abc');
      } catch (error) {
        failures.push(`round ${round}: ${(error as Error).message}`);
      } finally {
        await serving.close();
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
