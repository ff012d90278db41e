// @modulith-covers events
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TempProject } from '../core/temp-project.js';
import { eventsProject } from './fixtures.js';
import { freshSchema } from './postgres.js';

// Real processes on real databases: a worker is killed with SIGKILL mid-delivery and restarted;
// two workers race over one PostgreSQL outbox. Nothing may be lost; nothing may run twice at once.

const WORKER = join(process.cwd(), 'test/events/worker-app.ts');

type Db = {
  env: Record<string, string>;
  query(sql: string): Promise<any[]>;
  close(): Promise<void>;
};

function startWorker(db: Db, project: TempProject, extra: Record<string, string>): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', WORKER], {
    cwd: process.cwd(),
    env: { ...process.env, ...db.env, PROJECT_DIR: project.dir, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    exited.then((code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}: ${stderr}`))));
  });
  return { child, ready, exited };
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CREATE_RECEIVED = `CREATE TABLE test_received (event_id varchar(36), listener varchar(200), order_id varchar(50), instance varchar(50), attempt integer, started_at bigint, finished_at bigint)`;

async function sqliteDb(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-reliability-'));
  const file = join(dir, 'db.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec(CREATE_RECEIVED);
  return {
    env: { DB_TYPE: 'better-sqlite3', DB_FILE: file },
    query: async (sql) => sqlite.prepare(sql).all(),
    close: async () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresDb(): Promise<Db | null> {
  const schema = await freshSchema('reliability');
  if (!schema) return null;
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  await client.query(`SET search_path TO "${schema.schema}"`);
  await client.query(CREATE_RECEIVED);
  return {
    env: { DB_TYPE: 'postgres', DB_URL: schema.url, DB_SCHEMA: schema.schema },
    query: async (sql) => (await client.query(sql)).rows,
    close: async () => {
      await client.end();
      await schema.drop();
    },
  };
}

async function deliveriesLeft(db: Db): Promise<number> {
  const [row] = await db.query(`SELECT COUNT(*) AS n FROM modulith_deliveries WHERE status <> 'completed'`);
  return Number(row.n);
}

describe.each([
  ['SQLite', sqliteDb],
  ['PostgreSQL', postgresDb],
] as const)('outbox reliability on %s', (_name, open) => {
  let db: Db | null;
  let project: TempProject;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    db = await open();
    project = eventsProject();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await db?.close();
    project.dispose();
  });

  it('delivers every event to every listener after the app is killed -9 mid-delivery and restarted', async () => {
    if (!db) return;
    const events = 300;
    const publisher = startWorker(db, project, { PUBLISH: String(events) });
    children.push(publisher.child);
    expect(await publisher.exited).toBe(0);
    expect(await deliveriesLeft(db)).toBe(events * 2);

    const first = startWorker(db, project, { INSTANCE: 'first', LISTENER_DELAY_MS: '5' });
    children.push(first.child);
    await first.ready;
    await until(async () => Number((await db!.query('SELECT COUNT(*) AS n FROM test_received'))[0].n) >= 60, 30_000, 'first deliveries');
    first.child.kill('SIGKILL');
    await first.exited;
    const afterKill = await deliveriesLeft(db);
    expect(afterKill).toBeGreaterThan(0);

    const second = startWorker(db, project, { INSTANCE: 'second' });
    children.push(second.child);
    await second.ready;
    await until(async () => (await deliveriesLeft(db!)) === 0, 60_000, 'all deliveries after restart');
    second.child.kill('SIGTERM');
    await second.exited;

    const received: Array<{ event_id: string; listener: string; order_id: string }> = await db.query('SELECT event_id, listener, order_id FROM test_received');
    const pairs = new Set(received.map((r) => `${r.order_id}|${r.listener}`));
    expect(pairs.size).toBe(events * 2);
    // A retry after the crash carries the same event id as the first attempt.
    const idsPerOrder = new Map<string, Set<string>>();
    for (const r of received) idsPerOrder.set(r.order_id, (idsPerOrder.get(r.order_id) ?? new Set()).add(r.event_id));
    expect([...idsPerOrder.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(new Set(received.map((r) => r.event_id)).size).toBe(events);
  }, 120_000);
});

describe('two instances on one PostgreSQL outbox', () => {
  it('process 10,000 deliveries: none lost, none run by both at the same time', async () => {
    const db = await postgresDb();
    if (!db) return;
    const project = eventsProject();
    const children: ChildProcess[] = [];
    try {
      const publisher = startWorker(db, project, { PUBLISH: '5000' });
      children.push(publisher.child);
      expect(await publisher.exited).toBe(0);
      expect(await deliveriesLeft(db)).toBe(10_000);

      const a = startWorker(db, project, { INSTANCE: 'a' });
      const b = startWorker(db, project, { INSTANCE: 'b' });
      children.push(a.child, b.child);
      await Promise.all([a.ready, b.ready]);
      await until(async () => (await deliveriesLeft(db)) === 0, 120_000, '10,000 deliveries');
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);

      const received: Array<{ event_id: string; listener: string; instance: string }> = await db.query(
        'SELECT event_id, listener, instance, started_at, finished_at FROM test_received',
      );
      const runs = new Map<string, number>();
      for (const r of received) runs.set(`${r.event_id}|${r.listener}`, (runs.get(`${r.event_id}|${r.listener}`) ?? 0) + 1);
      expect(runs.size).toBe(10_000);
      expect([...runs.values()].filter((n) => n > 1)).toEqual([]);
      const byInstance = received.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.instance]: (acc[r.instance] ?? 0) + 1 }), {});
      expect(byInstance.a).toBeGreaterThan(0);
      expect(byInstance.b).toBeGreaterThan(0);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await db.close();
      project.dispose();
    }
  }, 180_000);
});
