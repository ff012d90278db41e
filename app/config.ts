import { resolve } from 'node:path';
import { topologyFromEnv, type Topology } from 'nest-modulith';
import { OutboundAddressPolicy } from '../modules/kernel/index.js';

/** Where the app keeps its tables: an embedded SQLite file (the default) or PostgreSQL. */
export type DatabaseConfig =
  | { type: 'sqlite'; /** A file path, or `:memory:`. */ path: string }
  | { type: 'postgres'; url: string; /** Schema holding every table; default the connection's (public). */ schema?: string };

/** Everything configurable about the app. Read from the environment here and nowhere else. */
export interface AppConfig {
  port: number;
  database: DatabaseConfig;
  /** Credits granted to every new account. */
  startingCredits: number;
  media: {
    /** How long the local generator works on one image. */
    generationMs: number;
    /** Where the local result store writes PNGs. */
    storageDir: string;
    /** How long a job stays claimed by an instance; after a crash, another takes it over after this. */
    leaseMs: number;
    /** Tests only (MEDIA_TEST_CRASH_AFTER): die like kill -9 after this step of a job submission. */
    testCrashAfter?: 'record' | 'charge';
  };
  /** How the outbox retries event deliveries (webhooks, refunds). */
  events: {
    /** Attempts before a delivery is marked failed (visible in `modulith events list --status failed`). */
    maxAttempts: number;
    /** First retry delay; doubles per attempt up to maxBackoffMs. */
    backoffMs: number;
    maxBackoffMs: number;
    /** How often an idle dispatcher looks for due deliveries (a publish wakes it at once). */
    pollMs: number;
    /** How long a claimed delivery stays with its instance; after a crash, others take it over after this. */
    leaseMs: number;
  };
  webhooks: {
    /**
     * Hostnames, IP addresses and CIDRs webhooks may go to although they are loopback, private
     * or otherwise non-public (WEBHOOK_ALLOWED_HOSTS), e.g. `127.0.0.1` for a local receiver.
     */
    allowedHosts: string[];
  };
  /** The modules' caches (nest-modulith/cache): in Redis when REDIS_URL is set (shared by every instance), else in memory. */
  cache: { redisUrl?: string; namespace?: string };
  /**
   * Where each module runs: all here (default), or some in another process reached over NATS.
   * From MODULITH_SERVE / MODULITH_REMOTE / MODULITH_BROKER_URL / MODULITH_STRICT (see README).
   */
  topology: Topology;
}

export const DEFAULT_DATABASE_URL = 'sqlite:data/modulith.sqlite';

/**
 * Builds the configuration from environment variables:
 *   PORT (3000), DATABASE_URL (sqlite:data/modulith.sqlite | postgres://...), DATABASE_SCHEMA,
 *   STARTING_CREDITS (100), MEDIA_GENERATION_MS (200), MEDIA_STORAGE_DIR (data/media), MEDIA_LEASE_MS (30000),
 *   MEDIA_TEST_CRASH_AFTER (tests only: record | charge),
 *   EVENTS_MAX_ATTEMPTS (12), EVENTS_BACKOFF_MS (1000), EVENTS_MAX_BACKOFF_MS (300000), EVENTS_POLL_MS (500),
 *   EVENTS_LEASE_MS (60000), WEBHOOK_ALLOWED_HOSTS (none), REDIS_URL (none: caches in memory), and the topology's
 *   MODULITH_* variables (see topologyFromEnv).
 * A malformed value throws, naming the variable: a typo must not silently fall back to a default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, { max: 65535 }),
    database: parseDatabaseUrl(env.DATABASE_URL || DEFAULT_DATABASE_URL, env.DATABASE_SCHEMA || undefined),
    startingCredits: integer(env, 'STARTING_CREDITS', 100),
    media: {
      generationMs: integer(env, 'MEDIA_GENERATION_MS', 200),
      storageDir: resolve(cwd, env.MEDIA_STORAGE_DIR || 'data/media'),
      leaseMs: positive(integer(env, 'MEDIA_LEASE_MS', 30_000), 'MEDIA_LEASE_MS'),
      ...crashPoint(env, 'MEDIA_TEST_CRASH_AFTER'),
    },
    events: {
      maxAttempts: integer(env, 'EVENTS_MAX_ATTEMPTS', 12),
      backoffMs: integer(env, 'EVENTS_BACKOFF_MS', 1000),
      maxBackoffMs: integer(env, 'EVENTS_MAX_BACKOFF_MS', 5 * 60_000),
      pollMs: integer(env, 'EVENTS_POLL_MS', 500),
      leaseMs: integer(env, 'EVENTS_LEASE_MS', 60_000),
    },
    webhooks: { allowedHosts: allowedHosts(env, 'WEBHOOK_ALLOWED_HOSTS') },
    cache: env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {},
    topology: topologyFromEnv(env),
  };
}

export function parseDatabaseUrl(url: string, schema?: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new Error(`DATABASE_URL '${url}' names no file: write e.g. sqlite:data/modulith.sqlite or sqlite::memory:`);
    return { type: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url, ...(schema ? { schema } : {}) };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got '${url}')`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, { max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > max) throw new Error(`${name} must be a whole number between 0 and ${max} (got '${raw}')`);
  return value;
}

/** A comma-separated allow-list; every entry must parse (the policy throws naming the variable and the entry). */
function allowedHosts(env: NodeJS.ProcessEnv, name: string): string[] {
  const entries = (env[name] ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  OutboundAddressPolicy.allowing(entries, name);
  return entries;
}

function positive(value: number, name: string): number {
  if (value < 1) throw new Error(`${name} must be at least 1 (got ${value})`);
  return value;
}

/** A test-only crash point; unset (the default everywhere but in crash tests) means none. */
function crashPoint(env: NodeJS.ProcessEnv, name: string): { testCrashAfter?: 'record' | 'charge' } {
  const value = env[name];
  if (!value) return {};
  if (value !== 'record' && value !== 'charge') throw new Error(`${name} must be record or charge (got '${value}'); it is for tests only`);
  return { testCrashAfter: value };
}
