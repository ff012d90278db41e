// @modulith-covers events, media
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../app/app.module.js';
import { loadConfig } from '../../app/config.js';
import { ImageGenerator, type GenerationRequest } from '../../modules/media/index.js';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../support/services.js';
import { openSql, type Sql } from './ledger.js';

// The media job runner on several instances sharing one PostgreSQL database: claims with leases
// (FOR UPDATE SKIP LOCKED), as the outbox does. Each instance is the real app (AppModule) with its
// image generator replaced by one that records which instance generated which prompt, and when.

const LEASE_MS = 1_500;
const targets = (await databaseTargets()).filter((target) => target.name === 'postgres');

interface Run {
  prompt: string;
  instance: string;
  startedAt: number;
  endedAt?: number;
  aborted?: boolean;
}

/** Takes `ms` per image (or until aborted: shutdown or a lost lease), recording every run. */
class RecordingGenerator extends ImageGenerator {
  constructor(
    private readonly instance: string,
    private readonly runs: Run[],
    private readonly ms: (prompt: string) => number,
  ) {
    super();
  }

  async generate({ prompt }: GenerationRequest, signal: AbortSignal): Promise<Uint8Array> {
    const run: Run = { prompt, instance: this.instance, startedAt: Date.now() };
    this.runs.push(run);
    try {
      await sleep(this.ms(prompt), undefined, { signal });
    } catch (error) {
      run.aborted = true;
      throw error;
    } finally {
      run.endedAt = Date.now();
    }
    return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  }
}

describeOnDatabases('media job runner on several instances', targets, (target) => {
  let database: TestDatabase;
  let storageDir: string;
  let sql: Sql;
  const apps: INestApplication[] = [];
  const runs: Run[] = [];

  beforeAll(async () => {
    database = await target.provision();
    storageDir = await mkdtemp(join(tmpdir(), 'modulith-runner-'));
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    runs.length = 0;
  });

  afterAll(async () => {
    await sql?.close();
    await database?.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  async function instance(name: string, ms: (prompt: string) => number = () => 30): Promise<INestApplication> {
    const config = database.config;
    if (config.type !== 'postgres') throw new Error('PostgreSQL only');
    const appConfig = loadConfig({
      DATABASE_URL: config.url,
      DATABASE_SCHEMA: config.schema ?? '',
      MEDIA_STORAGE_DIR: storageDir,
      MEDIA_LEASE_MS: String(LEASE_MS),
      EVENTS_POLL_MS: '20',
      EVENTS_BACKOFF_MS: '20',
      EVENTS_LEASE_MS: '2000',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(appConfig)] })
      .overrideProvider(ImageGenerator)
      .useValue(new RecordingGenerator(name, runs, ms))
      .compile();
    const app = moduleRef.createNestApplication({ logger: ['error'] });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    await app.init();
    apps.push(app);
    sql ??= await openSql(config);
    return app;
  }

  async function createAccount(app: INestApplication): Promise<string> {
    const response = await request(app.getHttpServer()).post('/accounts').send({ name: 'runner' }).expect(201);
    return response.body.apiKey as string;
  }

  function submit(app: INestApplication, apiKey: string, prompt: string): Promise<string> {
    return request(app.getHttpServer())
      .post('/media/jobs')
      .set('x-api-key', apiKey)
      .send({ prompt, kind: 'image' })
      .expect(202)
      .then((response) => response.body.id as string);
  }

  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  const statusOf = async (id: string) => (await sql.query<{ status: string }>(`SELECT status FROM media_jobs WHERE id = '${id}'`))[0]?.status;
  const completedEvents = async (id: string) =>
    Number((await sql.query<{ n: string }>(`SELECT COUNT(*) AS n FROM modulith_events WHERE name = 'media.job.completed' AND payload LIKE '%${id}%'`))[0].n);

  it('shares the jobs of two instances between them and runs each exactly once', async () => {
    // a has a backlog (4 at a time, 100 ms each) when b starts: b must take only jobs nobody
    // holds, never the ones a is running.
    const a = await instance('a', () => 100);
    const apiKey = await createAccount(a);
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(a, apiKey, `shared ${i}`)));
    const b = await instance('b', () => 100);
    ids.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => submit(b, apiKey, `shared ${40 + i}`)))));
    await until(async () => (await Promise.all(ids.map(statusOf))).every((status) => status === 'completed' || status === 'failed'), 'every job to finish');
    expect(new Set(await Promise.all(ids.map(statusOf)))).toEqual(new Set(['completed']));

    const byPrompt = new Map<string, Run[]>();
    for (const run of runs) byPrompt.set(run.prompt, [...(byPrompt.get(run.prompt) ?? []), run]);
    expect(byPrompt.size).toBe(50);
    for (const [prompt, list] of byPrompt) expect([prompt, list.map((r) => r.instance)]).toEqual([prompt, [expect.any(String)]]);
    expect(new Set(runs.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
    for (const id of ids) expect(await completedEvents(id)).toBe(1);
  });

  it('takes over a job whose instance died once its lease runs out, and not before', async () => {
    const a = await instance('a');
    const apiKey = await createAccount(a);
    const id = await submit(a, apiKey, 'orphaned');
    await until(async () => (await statusOf(id)) === 'completed', 'the job to complete');
    // Make it look like a running job of an instance that died a moment ago, its lease still valid.
    const leaseUntil = Date.now() + LEASE_MS;
    await sql.query(
      `UPDATE media_jobs SET status = 'running', completed_at = NULL, result_key = NULL, claimed_by = 'dead-instance', lease_until = ${leaseUntil} WHERE id = '${id}'`,
    );
    runs.length = 0;
    await until(async () => (await statusOf(id)) === 'completed', 'the job to be taken over and completed');
    expect(runs.map((r) => r.prompt)).toEqual(['orphaned']);
    expect(runs[0].startedAt).toBeGreaterThanOrEqual(leaseUntil);
    const [row] = await sql.query<{ claimed_by: string | null; attempts: number }>(`SELECT claimed_by, attempts FROM media_jobs WHERE id = '${id}'`);
    expect(row).toEqual({ claimed_by: null, attempts: 2 });
  });

  it('stops working on a job whose lease another instance took, and never completes it twice', async () => {
    // a generates slowly enough to lose its lease in the middle; b is fast.
    const a = await instance('a', () => 60_000);
    const apiKey = await createAccount(a);
    const id = await submit(a, apiKey, 'contested');
    await until(async () => runs.some((r) => r.prompt === 'contested' && r.instance === 'a'), 'a to start generating');
    // Another instance takes the lease over (as if a had stalled past it), until it runs out.
    await sql.query(`UPDATE media_jobs SET claimed_by = 'thief', lease_until = ${Date.now() + LEASE_MS} WHERE id = '${id}'`);
    await until(async () => runs.some((r) => r.instance === 'a' && r.aborted === true), 'a to notice and abort its generation', LEASE_MS * 3);
    // a leaves (its shutdown releases only its own claims: the job stays the thief's), b arrives.
    await apps.splice(apps.indexOf(a), 1)[0].close();
    await instance('b', () => 10);
    await until(async () => (await statusOf(id)) === 'completed', 'the job to be completed by b');
    expect(runs.filter((r) => !r.aborted).map((r) => r.instance)).toEqual(['b']);
    expect(await completedEvents(id)).toBe(1);
  });
});
