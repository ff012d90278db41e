// @modulith-covers events
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventPublisher, OutboxDispatcher, runEventsCommand } from 'nest-modulith/events';
import { bootEvents, eventsProject, failures, OrderPlaced } from './fixtures.js';

async function run(args: string[], databaseUrl: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runEventsCommand(args, { env: { DATABASE_URL: databaseUrl }, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('modulith events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-events-cli-'));
  const file = join(dir, 'db.sqlite');
  const url = `sqlite:${file}`;
  let failedEventId = '';

  beforeAll(async () => {
    const project = eventsProject();
    failures.set('bad', -1);
    const app = await bootEvents({ project, database: { type: 'better-sqlite3', database: file }, events: { maxAttempts: 1 } });
    [failedEventId] = await app.get(EventPublisher).publish(new OrderPlaced('bad', 1));
    await app.get(EventPublisher).publish(new OrderPlaced('good', 2));
    await app.get(OutboxDispatcher).drain();
    await app.close();
    project.dispose();
    failures.clear();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists failed deliveries with their error, as a table and as JSON', async () => {
    const text = await run(['list', '--status', 'failed'], url);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^DELIVERY\s+EVENT\s+LISTENER\s+STATUS\s+TRIES\s+LAST ERROR\n/);
    expect(text.out).toContain('orders.order.placed');
    expect(text.out).toContain('Error: invoicing is down for bad');
    const json = await run(['--status', 'failed', '--json'], url);
    expect(JSON.parse(json.out)).toEqual([
      expect.objectContaining({ eventId: failedEventId, listener: 'invoicing.invoice-order', status: 'failed', attempts: 1, payload: { orderId: 'bad', total: 1 } }),
    ]);
    expect(JSON.parse((await run(['list', '--status', 'completed', '--json'], url)).out)).toHaveLength(3);
  });

  it('shows every delivery of an event by its id', async () => {
    const shown = await run(['show', failedEventId], url);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out).map((d: { listener: string; status: string }) => `${d.listener}:${d.status}`).sort()).toEqual([
      'audit.record-order:completed',
      'invoicing.invoice-order:failed',
    ]);
    expect((await run(['show', 'nope'], url)).code).toBe(1);
  });

  it('resubmits failed deliveries so a running app retries them', async () => {
    const resubmitted = await run(['resubmit', '--failed'], url);
    expect(resubmitted).toMatchObject({ code: 0, out: expect.stringMatching(/^resubmitted 1 failed delivery/) });
    const [pending] = JSON.parse((await run(['list', '--status', 'pending', '--json'], url)).out);
    expect(pending).toMatchObject({ eventId: failedEventId, attempts: 0, status: 'pending' });
    expect((await run(['resubmit', pending.id], url)).code).toBe(1);
  });

  it('purges completed deliveries older than a duration', async () => {
    expect((await run(['purge', '--older-than', '1d'], url)).out).toBe('purged 0 completed deliveries\n');
    expect((await run(['purge', '--older-than', '0ms'], url)).out).toBe('purged 3 completed deliveries\n');
    expect((await run(['purge'], url)).code).toBe(2);
  });

  it('explains a database without outbox tables and bad usage (exit 2)', async () => {
    new Database(join(dir, 'empty.sqlite')).close();
    const empty = await run(['list'], `sqlite:${join(dir, 'empty.sqlite')}`);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('has no outbox tables (modulith_events, modulith_deliveries): start the app once');
    expect((await run(['list', '--status', 'weird'], url)).err).toContain('--status must be pending, completed or failed');
    expect((await run(['frobnicate'], url)).code).toBe(2);
    expect((await run(['list'], 'mysql://x')).err).toContain('DATABASE_URL must start with sqlite: or postgres://');
    expect((await run(['list', '--limit', 'all'], url)).err).toContain("--limit must be a whole number from 1 to 9999999 (got 'all')");
  });

  it('never creates a database or its folder: a missing file is an error naming it (exit 2)', async () => {
    const missing = join(dir, 'nowhere', 'db.sqlite');
    for (const args of [['list'], ['resubmit', '--failed'], ['purge', '--older-than', '1d']]) {
      const result = await run(args, `sqlite:${missing}`);
      expect(result).toMatchObject({ code: 2, out: '' });
      expect(result.err).toContain(`names the SQLite file ${missing}, which does not exist`);
    }
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('opens the database read-only to list, and leaves its journal mode alone', async () => {
    const copy = join(dir, 'rollback-journal.sqlite');
    const source = new Database(file, { readonly: true });
    source.exec(`VACUUM INTO '${copy}'`);
    source.close();
    const db = new Database(copy);
    expect(db.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    db.close();
    expect((await run(['list', '--json'], `sqlite:${copy}`)).code).toBe(0);
    const after = new Database(copy, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('a file that is not a SQLite database is named as such', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database, just text that is long enough to have a header page of its own '.repeat(20));
    const result = await run(['list'], `sqlite:${text}`);
    expect(result.code).toBe(2);
    expect(result.err).toContain('is not a SQLite database');
  });
});
