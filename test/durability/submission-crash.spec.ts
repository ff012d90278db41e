import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { DatabaseConfig } from '../../app/config.js';
import { natsUnavailable } from '../remote/support/nats.js';
import { companionDatabase, databaseTargets, describeOnDatabases, type DatabaseTarget, type TestDatabase } from '../support/services.js';
import { AppProcess } from './app-process.js';
import { ledgerReport, openSql, unsettled, type LedgerReport, type Sql } from './ledger.js';

// Job submission changes two modules' data: billing's ledger (a facade call, possibly remote) and
// media's jobs. No transaction spans both, so every crash point between the two writes must be
// recoverable. The real app (app/main.ts) runs in a child process on SQLite and on PostgreSQL
// and is killed with SIGKILL while clients submit jobs; after a restart and once everything has
// settled, the books must balance (see ledgerReport). MEDIA_TEST_CRASH_AFTER (a test-only hook,
// inert unless set) crashes the process deterministically between the two writes.

/** Random kills per database (MODULITH_TEST_KILLS overrides: more kills, more confidence, more time). */
const KILLS = Number(process.env.MODULITH_TEST_KILLS || 4);
const CLIENTS = 24;
const STARTING_CREDITS = 40;

const targets = await databaseTargets();
const BROKER_URL = process.env.MODULITH_BROKER_URL || 'nats://127.0.0.1:4222';
const natsReason = await natsUnavailable(BROKER_URL);

describeOnDatabases('job submission under kill -9', targets, (target) => {
  const world = useCrashWorld(target);

  async function start(extra: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
    return world.start(world.environment(world.database.config, extra));
  }

  it.each(['record', 'charge'])(
    'finishes a job whose process died right after the %s step, charged once',
    async (point) => {
      const crashing = await start({ MEDIA_TEST_CRASH_AFTER: point });
      const account = await createAccount(crashing.url);
      // The hook kills the process (SIGKILL) before the client gets an answer.
      expect(await answerOf(postJob(crashing.url, account.apiKey, `crash after ${point}`))).toBe('no answer');
      expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const restarted = await start();
      const report = await world.settledReport(restarted, world.database.config, world.database.config);
      expect(report.problems).toEqual([]);
      const balance = await getBalance(restarted.url, account.apiKey);
      // The submission the client never heard back about was resumed: charged once, and run.
      expect(balance.ledger.map((e) => e.reason)).toEqual(['grant', 'job-charge']);
      expect(balance.credits).toBe(STARTING_CREDITS - 1);
      const job = await getJob(restarted.url, balance.ledger[1].jobId!);
      expect(job.status).toBe('completed');
    },
    90_000,
  );

  it(
    'fails, without a charge, a resumed job the account can no longer pay for',
    async () => {
      const first = await start({ STARTING_CREDITS: '1' });
      const account = await createAccount(first.url);
      const paid = await postJob(first.url, account.apiKey, 'takes the only credit');
      expect(paid.status).toBe(202);
      await first.kill();
      // The process dies after recording the job, before charging it, and the credits are gone.
      const crashing = await start({ MEDIA_TEST_CRASH_AFTER: 'record' });
      expect(await answerOf(postJob(crashing.url, account.apiKey, 'recorded, never charged'))).toBe('no answer');
      expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const restarted = await start();
      const report = await world.settledReport(restarted, world.database.config, world.database.config, [paid.body.id as string]);
      expect(report.problems).toEqual([]);
      const sql = await world.sql(world.database.config);
      const [unpaid] = await sql.query<{ id: string }>(`SELECT id FROM media_jobs WHERE prompt = 'recorded, never charged'`);
      expect(await getJob(restarted.url, unpaid.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/credits/) });
      const balance = await getBalance(restarted.url, account.apiKey);
      expect(balance.credits).toBe(0);
      expect(balance.ledger.map((e) => [e.reason, e.jobId])).toEqual([
        ['grant', undefined],
        ['job-charge', paid.body.id],
      ]);
    },
    90_000,
  );

  it(
    `keeps the books whole through ${KILLS} random kills during concurrent submissions`,
    async () => {
      let app = await start();
      const accounts = await Promise.all(Array.from({ length: 4 }, () => createAccount(app.url)));
      const stats = newStats();
      for (let kill = 0; kill < KILLS; kill++) {
        if (kill > 0) app = await start();
        await killUnderLoad(app, app, accounts, stats);
      }
      app = await start();
      const report = await world.settledReport(app, world.database.config, world.database.config, stats.accepted);
      print(`kill -9 [${target.name}, monolith]`, stats, report);
      expect(report.problems).toEqual([]);
      expect(stats.accepted.length).toBeGreaterThan(0);
      expect(stats.other).toEqual({});
    },
    300_000,
  );
});

// The same with media in a process of its own (MODULITH_SERVE=media, its own database) reached over
// NATS: billing's charge is a remote call, the window between the two writes a network round trip.
// Only the media process is killed; the app keeps serving HTTP and forwards /media to it.
describeOnDatabases(
  'job submission under kill -9, media over NATS',
  targets.map((target) => ({ ...target, unavailable: target.unavailable ?? natsReason })),
  (target) => {
    const world = useCrashWorld(target);

    it(
      `keeps the books whole through ${KILLS} random kills of the media process during concurrent submissions`,
      async () => {
        const mediaDatabase = await companionDatabase(world.database.config, 'media');
        const broker = { MODULITH_BROKER_URL: BROKER_URL, MODULITH_NAMESPACE: `crash-${randomBytes(5).toString('hex')}`, MODULITH_BROKER_INSECURE: '1' };
        const startMedia = () => world.start(world.environment(mediaDatabase, { ...broker, MODULITH_SERVE: 'media' }));
        let media = await startMedia();
        const app = await world.start(world.environment(world.database.config, { ...broker, MODULITH_REMOTE: 'media' }));
        const accounts = await Promise.all(Array.from({ length: 4 }, () => createAccount(app.url)));
        const stats = newStats();
        for (let kill = 0; kill < KILLS; kill++) {
          if (kill > 0) media = await startMedia();
          await killUnderLoad(app, media, accounts, stats);
        }
        media = await startMedia();
        const report = await world.settledReport(media, mediaDatabase, world.database.config, stats.accepted);
        print(`kill -9 [${target.name}, media over NATS]`, stats, report);
        expect(report.problems).toEqual([]);
        expect(stats.accepted.length).toBeGreaterThan(0);
        expect(stats.other).toEqual({});
      },
      300_000,
    );
  },
);

/** A fresh database and storage folder per describe block, the processes started on them (killed after each test). */
function useCrashWorld(target: DatabaseTarget) {
  let database: TestDatabase | undefined;
  let storageDir = '';
  const running: AppProcess[] = [];
  const connections = new Map<string, Sql>();

  beforeAll(async () => {
    database = await target.provision();
    storageDir = await mkdtemp(join(tmpdir(), 'modulith-crash-'));
  });

  afterEach(async () => {
    for (const app of running.splice(0)) await app.kill();
    for (const sql of connections.values()) await sql.close();
    connections.clear();
  });

  afterAll(async () => {
    await database?.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  const world = {
    get database(): TestDatabase {
      if (!database) throw new Error('the database is provisioned in beforeAll');
      return database;
    },

    environment(config: DatabaseConfig, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
      return {
        DATABASE_URL: config.type === 'sqlite' ? `sqlite:${config.path}` : config.url,
        DATABASE_SCHEMA: config.type === 'postgres' ? (config.schema ?? '') : '',
        STARTING_CREDITS: String(STARTING_CREDITS),
        MEDIA_GENERATION_MS: '5',
        MEDIA_STORAGE_DIR: storageDir,
        // A job claimed by a killed instance is taken over after this.
        MEDIA_LEASE_MS: '2000',
        MEDIA_TEST_CRASH_AFTER: '',
        EVENTS_MAX_ATTEMPTS: '50',
        EVENTS_BACKOFF_MS: '20',
        EVENTS_MAX_BACKOFF_MS: '200',
        EVENTS_POLL_MS: '20',
        EVENTS_LEASE_MS: '1000',
        MODULITH_SERVE: '',
        MODULITH_REMOTE: '',
        MODULITH_STRICT: '',
        ...extra,
      };
    },

    async start(env: NodeJS.ProcessEnv): Promise<AppProcess> {
      const app = await AppProcess.start(env);
      running.push(app);
      return app;
    },

    async sql(config: DatabaseConfig): Promise<Sql> {
      const key = JSON.stringify(config);
      if (!connections.has(key)) connections.set(key, await openSql(config));
      return connections.get(key)!;
    },

    /** Waits until no job is unfinished and no outbox delivery (refund, relay, webhook) is pending, then reports the books. */
    async settledReport(app: AppProcess, jobsDatabase: DatabaseConfig, billingDatabase: DatabaseConfig, accepted: Iterable<string> = []): Promise<LedgerReport> {
      const jobs = await world.sql(jobsDatabase);
      const billing = await world.sql(billingDatabase);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const left = await unsettled(jobs, [billing]);
        if (left.jobs === 0 && left.deliveries === 0) break;
        if (Date.now() > deadline) throw new Error(`not settled after 60 s: ${JSON.stringify(left)}\n${app.log}`);
        await sleep(100);
      }
      return ledgerReport(jobs, billing, { accepted });
    },
  };
  return world;
}

interface Stats {
  /** Answers received. */
  submitted: number;
  /** Ids answered 202. */
  accepted: string[];
  /** Answered 402. */
  refused: number;
  /** No answer (the connection died), or a gateway error while media was down: outcome unknown to the client. */
  unknown: number;
  /** Any other status: a bug. */
  other: Record<number, number>;
}

function newStats(): Stats {
  return { submitted: 0, accepted: [], refused: 0, unknown: 0, other: {} };
}

/** Clients submit to `app` until `victim` is killed, after a random number of answers, at a random moment. */
async function killUnderLoad(app: AppProcess, victim: AppProcess, accounts: Account[], stats: Stats): Promise<void> {
  const stopped = new AbortController();
  const before = stats.submitted;
  const clients = Promise.all(Array.from({ length: CLIENTS }, () => client(app.url, accounts, stats, stopped.signal)));
  const answers = 10 + Math.floor(Math.random() * 40);
  const waitUntil = Date.now() + 15_000;
  while (stats.submitted - before < answers && victim.alive && Date.now() < waitUntil) await sleep(2);
  await sleep(Math.random() * 50);
  await victim.kill();
  stopped.abort();
  await clients;
}

function print(title: string, stats: Stats, report: LedgerReport): void {
  const { orphanCharges, problems, ...books } = report;
  const figures = { kills: KILLS, answered: stats.submitted, accepted: stats.accepted.length, refused: stats.refused, unknown: stats.unknown, other: stats.other };
  console.log(`${title}: ${JSON.stringify({ ...figures, ...books, orphanCharges: orphanCharges.length, problems: problems.length })}`);
}

interface Account {
  id: string;
  apiKey: string;
}

async function createAccount(url: string): Promise<Account> {
  const response = await fetch(`${url}/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'crash' }) });
  if (response.status !== 201) throw new Error(`POST /accounts answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Account;
}

async function postJob(url: string, apiKey: string, prompt: string, signal?: AbortSignal): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/media/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ prompt, kind: 'image' }),
    signal,
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

async function getBalance(url: string, apiKey: string): Promise<{ credits: number; ledger: Array<{ reason: string; amount: number; jobId?: string }> }> {
  const response = await fetch(`${url}/billing/balance`, { headers: { 'x-api-key': apiKey } });
  return (await response.json()) as { credits: number; ledger: Array<{ reason: string; amount: number; jobId?: string }> };
}

async function getJob(url: string, id: string): Promise<{ status: string; error?: string }> {
  const response = await fetch(`${url}/media/jobs/${id}`);
  return (await response.json()) as { status: string; error?: string };
}

/** Submits jobs one after another (a quarter of them fail and are refunded) until stopped. */
async function client(url: string, accounts: Account[], stats: Stats, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const account = accounts[Math.floor(Math.random() * accounts.length)];
    const prompt = Math.random() < 0.25 ? `tile ${stats.submitted} [fail]` : `tile ${stats.submitted}`;
    try {
      const { status, body } = await postJob(url, account.apiKey, prompt, signal);
      stats.submitted++;
      if (status === 202) stats.accepted.push(body.id as string);
      else if (status === 402) stats.refused++;
      // The gateway's answers while the media process is down or died under the request.
      else if (status === 502 || status === 503 || status === 504) stats.unknown++;
      else stats.other[status] = (stats.other[status] ?? 0) + 1;
    } catch {
      // The process was killed under this request: the client never learns what happened.
      stats.unknown++;
      if (!signal.aborted) await sleep(5);
    }
  }
}

/** The HTTP status, or 'no answer' when the connection died first. */
function answerOf(request: Promise<{ status: number }>): Promise<number | 'no answer'> {
  return request.then(
    (response) => response.status,
    () => 'no answer' as const,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
