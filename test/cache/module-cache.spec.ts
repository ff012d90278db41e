// @modulith-covers cache
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FeatureModule } from 'nest-modulith';
import { ModuleCache, ModulithCacheModule, ModulithCacheRoot, type ModulithCacheOptions } from '../../src/cache/index.js';
import { describeOnRedis, REDIS_URL, redisUnavailable } from './redis.js';

@Injectable()
class BillingService {
  constructor(readonly cache: ModuleCache) {}
}

@Injectable()
class MediaService {
  constructor(readonly cache: ModuleCache) {}
}

@Module({ imports: [ModulithCacheModule.forFeature('billing')], providers: [BillingService] })
class BillingModule {}

@Module({ imports: [ModulithCacheModule.forFeature('media')], providers: [MediaService] })
class MediaModule {}

const apps: INestApplicationContext[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** An app with two feature modules, each with its cache; returns both caches. */
async function twoModules(options: ModulithCacheOptions): Promise<{ billing: ModuleCache; media: ModuleCache; app: INestApplicationContext }> {
  const testing = await Test.createTestingModule({ imports: [ModulithCacheModule.forRoot(options), BillingModule, MediaModule] }).compile();
  const app = await testing.init();
  apps.push(app);
  return { app, billing: app.get(BillingService).cache, media: app.get(MediaService).cache };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isolation(options: () => ModulithCacheOptions): void {
  it('the same key in two modules holds two entries', async () => {
    const { billing, media } = await twoModules(options());
    expect(billing.module).toBe('billing');
    await billing.set('k', { balance: 10 });
    await media.set('k', { status: 'done' });
    expect(await billing.get('k')).toEqual({ balance: 10 });
    expect(await media.get('k')).toEqual({ status: 'done' });
    await media.del('k');
    expect(await media.get('k')).toBeUndefined();
    expect(await billing.get('k')).toEqual({ balance: 10 });
  });

  it("clear() empties only the module's own entries", async () => {
    const { billing, media } = await twoModules(options());
    await billing.set('a', 1);
    await billing.set('b', 2);
    await media.set('a', 'x');
    await billing.clear();
    expect(await billing.get('a')).toBeUndefined();
    expect(await billing.get('b')).toBeUndefined();
    expect(await media.get('a')).toBe('x');
  });

  it('entries expire after their ttl; wrap computes once and caches', async () => {
    const { billing } = await twoModules(options());
    await billing.set('short', 'v', 150);
    expect(await billing.get('short')).toBe('v');
    await sleep(400);
    expect(await billing.get('short')).toBeUndefined();
    let calls = 0;
    const compute = async () => ++calls;
    expect(await billing.wrap('w', compute, 10_000)).toBe(1);
    expect(await billing.wrap('w', compute, 10_000)).toBe(1);
    expect(calls).toBe(1);
  });
}

describe('ModuleCache in memory', () => {
  isolation(() => ({ redisUrl: undefined, namespace: 'test' }));

  it('refuses a bad key, ttl, namespace or module name', async () => {
    const { billing } = await twoModules({});
    await expect(billing.set('', 1)).rejects.toThrow('a ModuleCache key is a non-empty string');
    await expect(billing.set('k', 1, -5)).rejects.toThrow('ttl is a positive whole number');
    expect(() => new ModulithCacheRoot({ namespace: 'Bad Namespace*' })).toThrow('must be lowercase letters');
    expect(() => new ModulithCacheRoot({ redisUrl: 'http://x' })).toThrow('needs a Redis URL');
    expect(() => new ModulithCacheRoot({}, { REDIS_URL: '' }).prefixOf('Bad*')).toThrow('needs a module name');
    expect(new ModulithCacheRoot({}, { MODULITH_NAMESPACE: 'shop' }).prefixOf('billing')).toBe('shop:billing');
  });

  it('without forRoot in the app module (a module slice, a small app), entries live in memory, each module its own', async () => {
    const app = await (await Test.createTestingModule({ imports: [BillingModule, MediaModule] }).compile()).init();
    apps.push(app);
    await app.get(BillingService).cache.set('k', 1);
    expect(await app.get(BillingService).cache.get('k')).toBe(1);
    expect(await app.get(MediaService).cache.get('k')).toBeUndefined();
  });

  it("refuses the boot when a feature module imports another module's cache, naming both and the fix", async () => {
    @Injectable()
    class Snooper {
      constructor(readonly cache: ModuleCache) {}
    }
    @FeatureModule({ name: 'media', imports: [ModulithCacheModule.forFeature('billing')], providers: [Snooper] })
    class SnoopingMediaModule {}
    const testing = await Test.createTestingModule({ imports: [ModulithCacheModule.forRoot({}), SnoopingMediaModule] }).compile();
    await expect(testing.init()).rejects.toThrow(
      "SnoopingMediaModule (feature module 'media') imports ModulithCacheModule.forFeature('billing'): a module's cache is its own. Fix: forFeature('media'), and ask the 'billing' facade for its data",
    );
    await testing.close();
  });
});

const unavailable = await redisUnavailable();
describeOnRedis('ModuleCache in Redis', unavailable, () => {
  const namespace = `t_${randomBytes(5).toString('hex')}`;
  isolation(() => ({ redisUrl: REDIS_URL, namespace }));
  afterAll(async () => {
    const { billing, media } = await twoModules({ redisUrl: REDIS_URL, namespace });
    await billing.clear();
    await media.clear();
    for (const app of apps.splice(0)) await app.close();
  });

  it('keys live under <namespace>:<module>::<key>, and another app namespace is untouched by clear()', async () => {
    const ns = `t_${randomBytes(5).toString('hex')}`;
    const { billing, media } = await twoModules({ redisUrl: REDIS_URL, namespace: ns });
    const other = await twoModules({ redisUrl: REDIS_URL, namespace: `${ns}x` });
    await billing.set('raw', 5);
    await other.billing.set('raw', 6);
    const { createClient } = (await import('@keyv/redis')) as unknown as { createClient: (o: { url: string }) => { connect(): Promise<unknown>; keys(p: string): Promise<string[]>; close(): Promise<void> } };
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      expect(await client.keys(`${ns}:*`)).toEqual([`${ns}:billing::raw`]);
      await billing.clear();
      expect(await client.keys(`${ns}*`)).toEqual([`${ns}x:billing::raw`]);
      expect(await other.billing.get('raw')).toBe(6);
      expect(await media.get('raw')).toBeUndefined();
      await other.billing.clear();
    } finally {
      await client.close();
    }
  });
});
