// @modulith-covers remote
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import { BrokerClient, RemoteModuleUnavailableError, topologyFromEnv } from 'nest-modulith';
import { CatalogFacade } from './fixtures/modules/catalog/index.js';
import { ShopFacade } from './fixtures/modules/shop/index.js';
import { rejectionOf, startApp, uniqueNamespace } from './support/apps.js';
import { describeWhen, natsServerUnavailable, startNatsServer, type OwnNatsServer } from './support/nats.js';

// A broker that requires a token (nats-server --auth): processes configured with
// MODULITH_BROKER_TOKEN serve and call; anything else is refused, and a caller holding the wrong
// token gets a 503 that says why, at once.

const TOKEN = 's3cret-token';

describeWhen(natsServerUnavailable(), 'a broker that requires a token', () => {
  const namespace = uniqueNamespace('credentials');
  let broker: OwnNatsServer;
  let serving: INestApplication | undefined;

  const env = (more: Record<string, string>) => ({ MODULITH_BROKER_URL: broker.url, MODULITH_NAMESPACE: namespace, ...more });

  beforeAll(async () => {
    broker = await startNatsServer(['--auth', TOKEN]);
    serving = await startApp(topologyFromEnv(env({ MODULITH_SERVE: 'catalog', MODULITH_BROKER_TOKEN: TOKEN })));
  });
  afterAll(async () => {
    await serving?.close();
    await broker?.stop();
  });

  /** The broker logs each connection it refuses. */
  const REFUSED = /authentication error/;

  it('refuses clients without the token or with another one', async () => {
    const before = broker.count(REFUSED);
    await expect(connect({ servers: broker.url, reconnect: false })).rejects.toThrow(/Authorization Violation/);
    await expect(connect({ servers: broker.url, token: 'guess', reconnect: false })).rejects.toThrow(/Authorization Violation/);
    await broker.logged(REFUSED, before + 2);
  });

  it('an app configured with MODULITH_BROKER_TOKEN calls the module served by another app holding it', async () => {
    const calling = await startApp(topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_TOKEN: TOKEN })));
    try {
      expect(await calling.get(ShopFacade).quote('abc', 2)).toEqual({ itemId: 'abc', total: 60 });
    } finally {
      await calling.close();
    }
  });

  it.each([
    ['a wrong token', { MODULITH_BROKER_TOKEN: 'guess' }],
    ['no credential, explicitly insecure', { MODULITH_BROKER_INSECURE: '1' }],
  ])('an app with %s starts, and its remote facades answer 503, then say the broker refused it', async (_case, credential: Record<string, string>) => {
    const before = broker.count(REFUSED);
    const calling = await startApp(topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', ...credential })));
    try {
      const unavailable = `module 'catalog' is unavailable: the broker at ${broker.url} is not connected`;
      const atBoot = await rejectionOf(calling.get(CatalogFacade).item('abc'));
      expect(atBoot).toBeInstanceOf(RemoteModuleUnavailableError);
      expect(atBoot.getStatus()).toBe(503);
      expect(atBoot.message.startsWith(unavailable)).toBe(true);

      // Both connections (client and server) keep retrying until closed; wait until the broker refused both.
      await broker.logged(REFUSED, before + 2);
      const refused = await rejectionOf(calling.get(CatalogFacade).item('abc'));
      expect(refused).toBeInstanceOf(RemoteModuleUnavailableError);
      expect(refused.message).toBe(`${unavailable} (Authorization Violation)`);
    } finally {
      // Closing stops the retries at once (see unavailable.spec.ts: the process then exits).
      await calling.close();
    }
  });
});
