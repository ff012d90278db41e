import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll } from '@jest/globals';
import request from 'supertest';
import type { AppConfig, DatabaseConfig } from '../../app/config.js';
import { createApp } from '../../app/create-app.js';
import { MediaProcess } from './media-process.js';
import { companionDatabase, type DatabaseTarget, type TestDatabase } from './services.js';

/**
 * Where the app's modules run in this test run (MODULITH_TEST_TOPOLOGY, set per Jest project):
 * - `monolith`: all in the test process (the default);
 * - `remote`: media in a second process (app/main.ts with MODULITH_SERVE=media, its own
 *   database), reached over NATS; everything else in the test process with MODULITH_REMOTE=media;
 * - `remote-restart`: as `remote`, and the media process is killed (-9) and started again right
 *   after every job submitted through submitJob, while the job is queued or running.
 * The API specs run unchanged in each; the HTTP client always talks to the test process.
 */
export type TestTopology = 'monolith' | 'remote' | 'remote-restart';

export function testTopology(): TestTopology {
  const value = process.env.MODULITH_TEST_TOPOLOGY || 'monolith';
  if (value !== 'monolith' && value !== 'remote' && value !== 'remote-restart') {
    throw new Error(`MODULITH_TEST_TOPOLOGY must be monolith, remote or remote-restart (got '${value}')`);
  }
  return value;
}

export interface TestAppOptions {
  startingCredits?: number;
  /** Short by default so the suite stays fast; long where a test needs a job to stay running. */
  generationMs?: number;
  /** Reuse a storage folder (e.g. across a restart); default a fresh temporary one. */
  storageDir?: string;
  /** WEBHOOK_ALLOWED_HOSTS; default 127.0.0.1, where the tests' webhook receivers listen. */
  webhookAllowedHosts?: string[];
  /** Where the modules run; default testTopology() (MODULITH_TEST_TOPOLOGY). */
  topology?: TestTopology;
  /** More environment variables for the media process, in the remote topologies. */
  mediaEnv?: NodeJS.ProcessEnv;
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** The media process, in the remote topologies. */
  media?: MediaProcess;
  /** supertest bound to the app's HTTP server: real HTTP over a loopback socket. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real app (same createApp as main.ts) on the given database, with quiet logs. */
export async function startTestApp(database: DatabaseConfig, options: TestAppOptions = {}): Promise<TestApp> {
  const ownStorage = options.storageDir ? undefined : await mkdtemp(join(tmpdir(), 'modulith-media-'));
  const config: AppConfig = {
    port: 0,
    database,
    startingCredits: options.startingCredits ?? 100,
    media: { generationMs: options.generationMs ?? 20, storageDir: options.storageDir ?? ownStorage!, leaseMs: 2_000 },
    // Fast retries so tests of a receiver that is down for a while stay short.
    events: { maxAttempts: 50, backoffMs: 20, maxBackoffMs: 200, pollMs: 20, leaseMs: 2_000 },
    webhooks: { allowedHosts: options.webhookAllowedHosts ?? ['127.0.0.1'] },
    // Caches in memory; the remote topologies below keep them in the real Redis.
    cache: {},
    // Strict: every facade call round-trips through the wire codec, so a contract that could not
    // cross a process fails here first.
    topology: { strict: true },
  };
  const topology = options.topology ?? testTopology();
  let media: MediaProcess | undefined;
  if (topology !== 'monolith') {
    const namespace = `test-${randomBytes(5).toString('hex')}`;
    media = await MediaProcess.start({ config, database: await companionDatabase(database, 'media'), namespace, env: options.mediaEnv });
    // Billing's statements cached in Redis, under this app's namespace (the broker's, unique per app).
    config.cache = { redisUrl: process.env.MODULITH_TEST_REDIS_URL || 'redis://127.0.0.1:6379' };
    config.topology = {
      remote: ['media'],
      broker: { url: process.env.MODULITH_BROKER_URL || 'nats://127.0.0.1:4222', namespace, timeoutMs: 5_000, insecure: true },
      strict: true,
    };
  }
  const app = await createApp(config, { logger: ['error'] }).catch(async (error: unknown) => {
    await media?.stop();
    throw error;
  });
  return {
    app,
    config,
    media,
    http: () => request(app.getHttpServer()),
    close: async () => {
      // The media child stops even when closing the app fails, so no process outlives the tests.
      try {
        await app.close();
      } finally {
        await media?.stop();
        if (ownStorage) await rm(ownStorage, { recursive: true, force: true });
      }
    },
  };
}

/**
 * One app for the enclosing describe block: a fresh database of `target` and the app on it,
 * started in beforeAll and closed (database dropped) in afterAll. The returned TestApp
 * delegates to that app, so tests use it like the one startTestApp returns.
 */
export function useTestApp(target: DatabaseTarget, options: TestAppOptions = {}): TestApp {
  let database: TestDatabase | undefined;
  let current: TestApp | undefined;
  beforeAll(async () => {
    database = await target.provision();
    current = await startTestApp(database.config, options);
  });
  // Closing waits for the media process to stop (and, killed and restarted, to come back first):
  // on a loaded 2-core machine that has taken over 30 s.
  afterAll(async () => {
    await current?.close();
    await database?.drop();
  }, 120_000);
  const started = (): TestApp => {
    if (!current) throw new Error('useTestApp: the app starts in beforeAll; use it inside a test');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get config() {
      return started().config;
    },
    get media() {
      return started().media;
    },
    http: () => started().http(),
    close: () => started().close(),
  };
}

export interface CreatedAccount {
  id: string;
  apiKey: string;
  webhookSecret: string;
  credits: number;
}

export async function createAccount(app: TestApp, body: { name: string; webhookUrl?: string } = { name: 'Ada' }): Promise<CreatedAccount> {
  const response = await app.http().post('/accounts').send(body).expect(201);
  return response.body as CreatedAccount;
}

export async function submitJob(app: TestApp, apiKey: string, prompt: string): Promise<{ id: string; status: string }> {
  const response = await app.http().post('/media/jobs').set('x-api-key', apiKey).send({ prompt, kind: 'image' }).expect(202);
  // The job is queued or running now: in the remote-restart topology, crash the media process here.
  if (app.media && testTopology() === 'remote-restart') await app.media.crashAndRestart();
  return response.body as { id: string; status: string };
}

/** Polls GET /media/jobs/:id until the job is completed or failed. */
export async function waitForJob(app: TestApp, jobId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.http().get(`/media/jobs/${jobId}`).expect(200);
    if (response.body.status === 'completed' || response.body.status === 'failed') return response.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${response.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
