import { describe, expect, it } from '@jest/globals';
import { loadConfig, parseDatabaseUrl } from '../../app/config.js';

describe('loadConfig', () => {
  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATABASE_URL: 'postgres://u@db:5432/app',
        DATABASE_SCHEMA: 'tenant_a',
        STARTING_CREDITS: '5',
        MEDIA_GENERATION_MS: '0',
        MEDIA_STORAGE_DIR: 'var/results',
        MEDIA_LEASE_MS: '5000',
        EVENTS_MAX_ATTEMPTS: '3',
        EVENTS_BACKOFF_MS: '50',
        EVENTS_MAX_BACKOFF_MS: '400',
        EVENTS_POLL_MS: '25',
        EVENTS_LEASE_MS: '900',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, 10.0.0.0/8,hooks.internal,,fd00::/8',
        MODULITH_REMOTE: 'media',
        MODULITH_BROKER_URL: 'nats://broker:4222',
        MODULITH_BROKER_TOKEN: 's3cret',
        MODULITH_NAMESPACE: 'shop',
        MODULITH_CALL_TIMEOUT_MS: '2000',
        MODULITH_STRICT: 'true',
        REDIS_URL: 'redis://cache:6379',
      },
      '/srv/app',
    );
    expect(config).toEqual({
      port: 8080,
      database: { type: 'postgres', url: 'postgres://u@db:5432/app', schema: 'tenant_a' },
      startingCredits: 5,
      media: { generationMs: 0, storageDir: '/srv/app/var/results', leaseMs: 5000 },
      events: { maxAttempts: 3, backoffMs: 50, maxBackoffMs: 400, pollMs: 25, leaseMs: 900 },
      webhooks: { allowedHosts: ['127.0.0.1', '10.0.0.0/8', 'hooks.internal', 'fd00::/8'] },
      cache: { redisUrl: 'redis://cache:6379' },
      topology: {
        remote: ['media'],
        broker: { url: 'nats://broker:4222', token: 's3cret', namespace: 'shop', timeoutMs: 2000 },
        strict: true,
      },
    });
  });

  it('falls back to the documented defaults for unset or empty variables', () => {
    const config = loadConfig({ PORT: '' }, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ type: 'sqlite', path: 'data/modulith.sqlite' });
    expect(config.startingCredits).toBe(100);
    expect(config.media).toEqual({ generationMs: 200, storageDir: '/srv/app/data/media', leaseMs: 30_000 });
    expect(config.events).toEqual({ maxAttempts: 12, backoffMs: 1000, maxBackoffMs: 300_000, pollMs: 500, leaseMs: 60_000 });
    // Webhooks go to public addresses only.
    expect(config.webhooks).toEqual({ allowedHosts: [] });
    // Everything in one process, no broker; caches in memory.
    expect(config.topology).toEqual({ strict: false });
    expect(config.cache).toEqual({});
  });

  it('reaches a served module over the default broker', () => {
    const config = loadConfig({ MODULITH_SERVE: 'media' }, '/srv/app');
    expect(config.topology).toEqual({
      serve: ['media'],
      broker: { url: 'nats://127.0.0.1:4222', namespace: 'modulith', timeoutMs: 5000 },
      strict: false,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['STARTING_CREDITS', '-1'],
    ['MEDIA_GENERATION_MS', '1.5'],
    ['MEDIA_LEASE_MS', '0'],
    ['MEDIA_TEST_CRASH_AFTER', 'boot'],
    ['EVENTS_BACKOFF_MS', 'soon'],
    ['MODULITH_STRICT', 'yes'],
    ['MODULITH_CALL_TIMEOUT_MS', '0'],
    ['MODULITH_BROKER_URL', 'http://broker'],
    ['WEBHOOK_ALLOWED_HOSTS', 'http://hooks.internal'],
    ['WEBHOOK_ALLOWED_HOSTS', '127.0.0.1,hooks.internal:8080'],
    ['WEBHOOK_ALLOWED_HOSTS', '10.0.0.1/8'],
    ['WEBHOOK_ALLOWED_HOSTS', '0x7f000001'],
    ['WEBHOOK_ALLOWED_HOSTS', '*.internal'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('refuses MODULITH_SERVE and MODULITH_REMOTE in one process', () => {
    expect(() => loadConfig({ MODULITH_SERVE: 'media', MODULITH_REMOTE: 'media' })).toThrow(/MODULITH_SERVE and MODULITH_REMOTE are both set/);
  });
});

describe('parseDatabaseUrl', () => {
  it('understands sqlite files, in-memory SQLite and PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('sqlite:data/x.sqlite')).toEqual({ type: 'sqlite', path: 'data/x.sqlite' });
    expect(parseDatabaseUrl('sqlite:///tmp/x.sqlite')).toEqual({ type: 'sqlite', path: '/tmp/x.sqlite' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('postgresql://h/db')).toEqual({ type: 'postgres', url: 'postgresql://h/db' });
  });

  it('refuses anything else', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow('DATABASE_URL');
    expect(() => parseDatabaseUrl('sqlite:')).toThrow('DATABASE_URL');
  });
});
