// @modulith-covers remote
import { describe, expect, it } from '@jest/globals';
import { Injectable, type Type } from '@nestjs/common';
import { FeatureModule, ModulithModule, topologyFromEnv, topologyKey, type Topology } from 'nest-modulith';
import { PricingModule } from './fixtures/modules/pricing/index.js';
import { brokerOptions, FIXTURE_MODULES, FIXTURE_ROOT, rejectionOf, startApp, uniqueNamespace } from './support/apps.js';
import { describeWhen, natsUnavailable } from './support/nats.js';

// Where modules run is configuration: MODULITH_* variables read by topologyFromEnv, checked
// against the app's modules by ModulithModule.forRoot. Every mistake fails at boot, naming the
// variable (or class) and the fix.

function place(topology: Topology, modules: Array<Type<unknown> | { module: Type<unknown> }> = FIXTURE_MODULES): () => unknown {
  return () => ModulithModule.forRoot({ modules: modules as never, rootDir: FIXTURE_ROOT, topology });
}

describe('topologyFromEnv', () => {
  it('with nothing set, runs every module in this process without a broker', () => {
    const topology = topologyFromEnv({});
    expect(topology).toEqual({ strict: false });
    expect(topologyKey(topology)).toBe('monolith');
  });

  it('reads the modules to serve, with the default broker, namespace and timeout', () => {
    const topology = topologyFromEnv({ MODULITH_SERVE: ' catalog, pricing ,catalog,' });
    expect(topology).toEqual({
      serve: ['catalog', 'pricing'],
      broker: { url: 'nats://127.0.0.1:4222', namespace: 'modulith', timeoutMs: 5000 },
      strict: false,
    });
    expect(topologyKey(topology)).toBe('serve:catalog,pricing');
  });

  it('reads the remote modules, the broker, its credential, the namespace, the timeout and strict mode', () => {
    expect(
      topologyFromEnv({
        MODULITH_REMOTE: 'catalog',
        MODULITH_BROKER_URL: 'nats://broker-a:4222,nats://broker-b:4222',
        MODULITH_BROKER_TOKEN: 's3cret',
        MODULITH_NAMESPACE: 'shop-prod',
        MODULITH_CALL_TIMEOUT_MS: '250',
        MODULITH_STRICT: 'true',
      }),
    ).toEqual({
      remote: ['catalog'],
      broker: { url: 'nats://broker-a:4222,nats://broker-b:4222', token: 's3cret', namespace: 'shop-prod', timeoutMs: 250 },
      strict: true,
    });
    expect(topologyFromEnv({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_USER: 'shop', MODULITH_BROKER_PASSWORD: 'pw' }).broker).toMatchObject({ user: 'shop', password: 'pw' });
    expect(topologyFromEnv({ MODULITH_STRICT: '1' }).strict).toBe(true);
    expect(topologyFromEnv({ MODULITH_STRICT: '0' }).strict).toBe(false);
  });

  it('refuses MODULITH_SERVE and MODULITH_REMOTE together, naming both', () => {
    expect(() => topologyFromEnv({ MODULITH_SERVE: 'catalog', MODULITH_REMOTE: 'pricing' })).toThrow(
      'MODULITH_SERVE and MODULITH_REMOTE are both set: set MODULITH_SERVE in the extracted service and MODULITH_REMOTE in the monolith, never both in one process',
    );
  });

  it.each([
    ['MODULITH_STRICT', 'yes', {}],
    ['MODULITH_CALL_TIMEOUT_MS', '5s', { MODULITH_SERVE: 'catalog' }],
    ['MODULITH_CALL_TIMEOUT_MS', '0', { MODULITH_SERVE: 'catalog' }],
    ['MODULITH_CALL_TIMEOUT_MS', '-5', { MODULITH_SERVE: 'catalog' }],
    // A dot or a wildcard would reach other apps' subjects on a shared broker.
    ['MODULITH_NAMESPACE', 'shop.*', { MODULITH_SERVE: 'catalog' }],
    ['MODULITH_NAMESPACE', 'a.b', { MODULITH_SERVE: 'catalog' }],
    ['MODULITH_BROKER_URL', 'http://127.0.0.1:4222', { MODULITH_SERVE: 'catalog' }],
  ])('refuses a malformed %s (%s), naming the variable and the value', (variable, value, more) => {
    let message = '';
    try {
      topologyFromEnv({ ...more, [variable]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith(`${variable} must be `)).toBe(true);
    expect(message).toContain(`(got '${value}')`);
  });

  it('refuses a token together with a user, naming the variables', () => {
    expect(() => topologyFromEnv({ MODULITH_SERVE: 'catalog', MODULITH_BROKER_TOKEN: 't', MODULITH_BROKER_USER: 'u' })).toThrow(
      'set MODULITH_BROKER_TOKEN or MODULITH_BROKER_USER/MODULITH_BROKER_PASSWORD, not both',
    );
  });
});

describe('ModulithModule.forRoot placing the modules', () => {
  it.each(['MODULITH_SERVE', 'MODULITH_REMOTE'])('refuses a module name in %s that the app does not have, listing the known ones', (variable) => {
    expect(place(topologyFromEnv({ [variable]: 'catalgo' }))).toThrow(
      `${variable} names 'catalgo', which is not a feature module of this app; use one of: catalog, pricing, shop`,
    );
  });

  it('refuses a topology that places modules elsewhere without a broker', () => {
    expect(place({ remote: ['catalog'] })).toThrow(
      'the topology places modules in other processes but names no broker; set MODULITH_BROKER_URL (topologyFromEnv does)',
    );
  });

  it('refuses to make a dynamic module remote', () => {
    expect(place({ remote: ['pricing'], broker: brokerOptions('x') }, [{ module: PricingModule }])).toThrow(
      "'pricing' is a dynamic module (PricingModule.forRoot(...)); only modules listed by class can be remote",
    );
  });

  it('refuses a listed class that is not a @FeatureModule', () => {
    class PlainModule {}
    expect(place({}, [PlainModule])).toThrow(
      'PlainModule is listed in ModulithModule.forRoot({ modules }) but is not a @FeatureModule; decorate it with @FeatureModule({ name, ... })',
    );
  });
});

// legacy's facade predates @Facade: in process it works, but it cannot be a client or be served.
abstract class LegacyFacade {
  abstract ping(): Promise<string>;
}
@Injectable()
class LegacyService implements LegacyFacade {
  async ping(): Promise<string> {
    return 'pong';
  }
}
@FeatureModule({ name: 'legacy', providers: [LegacyService], facades: [{ provide: LegacyFacade, useExisting: LegacyService }] })
class LegacyModule {}

describe('a facade without @Facade', () => {
  const fix = "Add @Facade<LegacyFacade>({ methodName: true, ... }) (from 'nest-modulith') above 'abstract class LegacyFacade'";

  it('works in process', async () => {
    const app = await startApp({}, [LegacyModule]);
    expect(await app.get(LegacyFacade).ping()).toBe('pong');
    await app.close();
  });

  it('stops the boot of an app that reaches its module remotely, naming the class and the fix', async () => {
    const error = await rejectionOf(startApp({ remote: ['legacy'], broker: brokerOptions(uniqueNamespace('legacy')) }, [LegacyModule]));
    expect(error.message).toBe(
      `LegacyFacade has no @Facade({ ... }) listing its methods, and module 'legacy' is remote, so its facade is a client that needs the method list. ${fix}`,
    );
  });

  it('stops the boot of an app in strict mode', async () => {
    const error = await rejectionOf(startApp({ strict: true }, [LegacyModule]));
    expect(error.message).toContain(`LegacyFacade has no @Facade({ ... }) listing its methods, and strict mode round-trips every facade call through the wire codec. ${fix}`);
  });
});

describeWhen(await natsUnavailable(), 'a facade without @Facade in a serving app', () => {
  it('stops the boot, since the broker answers only declared methods', async () => {
    const error = await rejectionOf(startApp({ serve: ['legacy'], broker: brokerOptions(uniqueNamespace('legacy')) }, [LegacyModule]));
    expect(error.message).toBe(
      `LegacyFacade has no @Facade({ ... }) listing its methods, and module 'legacy' serves it on the broker, which answers only declared methods. ${"Add @Facade<LegacyFacade>({ methodName: true, ... }) (from 'nest-modulith') above 'abstract class LegacyFacade'"}`,
    );
  });
});
