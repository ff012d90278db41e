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
        EVENTS_MAX_ATTEMPTS: '3',
        EVENTS_BACKOFF_MS: '50',
        EVENTS_MAX_BACKOFF_MS: '400',
        EVENTS_POLL_MS: '25',
      },
      '/srv/app',
    );
    expect(config).toEqual({
      port: 8080,
      database: { type: 'postgres', url: 'postgres://u@db:5432/app', schema: 'tenant_a' },
      startingCredits: 5,
      media: { generationMs: 0, storageDir: '/srv/app/var/results' },
      events: { maxAttempts: 3, backoffMs: 50, maxBackoffMs: 400, pollMs: 25 },
      rootDir: '/srv/app',
    });
  });

  it('falls back to the documented defaults for unset or empty variables', () => {
    const config = loadConfig({ PORT: '' }, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ type: 'sqlite', path: 'data/modulith.sqlite' });
    expect(config.startingCredits).toBe(100);
    expect(config.media).toEqual({ generationMs: 200, storageDir: '/srv/app/data/media' });
    expect(config.events).toEqual({ maxAttempts: 12, backoffMs: 1000, maxBackoffMs: 300_000, pollMs: 500 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['STARTING_CREDITS', '-1'],
    ['MEDIA_GENERATION_MS', '1.5'],
    ['EVENTS_BACKOFF_MS', 'soon'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
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
