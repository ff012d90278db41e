import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptionsFromUrl, DEFAULT_DATABASE_URL, redactDatabaseUrl, scrubDatabaseSecrets } from './database-url.js';
import { OUTBOX_ENTITIES, type DeliveryStatus } from './entities/index.js';
import { OutboxStore, type DeliveryView } from './outbox-store.js';

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  /** Where a relative sqlite: path is resolved; default process.cwd(). */
  cwd?: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EVENTS_USAGE = `modulith events — operate the outbox of the app's database (DATABASE_URL, default ${DEFAULT_DATABASE_URL})

  modulith events [list] [--status pending|completed|failed] [--event NAME] [--limit N] [--json]
  modulith events show ID              a delivery, or every delivery of an event, with payload and error
  modulith events resubmit ID... | --failed
                                       failed deliveries (by delivery or event id) are retried from attempt 1
  modulith events purge --older-than DURATION
                                       removes completed deliveries older than e.g. 7d, 12h, 30m
`;

/** `modulith events ...`; returns the exit code (0 ok, 1 nothing matched, 2 bad usage or configuration). */
export async function runEventsCommand(args: string[], io: CommandIo): Promise<number> {
  const [sub = 'list', ...rest] = args[0]?.startsWith('--') ? ['list', ...args] : args;
  if (sub === 'help' || rest.includes('--help')) {
    io.stdout(EVENTS_USAGE);
    return 0;
  }
  if (!['list', 'show', 'resubmit', 'purge'].includes(sub)) {
    io.stderr(`modulith events: unknown subcommand '${sub}'\n\n${EVENTS_USAGE}`);
    return 2;
  }
  const url = io.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const scrub = (text: string): string => scrubDatabaseSecrets(text, url);
  let options: DataSourceOptions;
  try {
    options = dataSourceOptionsFromUrl(url, io.env.DATABASE_SCHEMA || undefined);
  } catch (error) {
    io.stderr(`modulith events: ${scrub(messageOf(error))}\n`);
    return 2;
  }
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    // Operating an outbox never creates a database (nor its folder): the file must be the app's.
    const file = resolve(io.cwd ?? process.cwd(), options.database as string);
    const missing = sqliteFileProblem(file);
    if (missing) {
      const shown = io.env.DATABASE_URL ? `DATABASE_URL ${redactDatabaseUrl(url)}` : `DATABASE_URL (not set, so the default ${url})`;
      io.stderr(
        `modulith events: ${shown} names the SQLite file ${file}, which ${missing}\n` +
          `  fix: set DATABASE_URL to the app's database (a relative path is resolved against the current folder), or start the app once to create it\n`,
      );
      return 2;
    }
    // Read-only for what only reads; never WAL switching (the app sets its journal mode itself).
    options = { ...options, database: file, enableWAL: false, fileMustExist: true, readonly: sub === 'list' || sub === 'show' };
  }
  let dataSource: DataSource;
  try {
    dataSource = new DataSource({ ...options, entities: OUTBOX_ENTITIES, synchronize: false, logging: false } as DataSourceOptions);
    await dataSource.initialize();
  } catch (error) {
    // A password holding '@', ':' or '/' must be percent-encoded, else the driver reads part of it as the host.
    const encodeHint = /^[a-z][a-z0-9+.-]*:\/\/[^/]*@[^/]*@/i.test(url) ? " (percent-encode special characters of the password, '@' as %40)" : '';
    io.stderr(`modulith events: cannot open DATABASE_URL ${redactDatabaseUrl(url)}: ${scrub(messageOf(error))}${encodeHint}\n`);
    return 2;
  }
  try {
    const store = new OutboxStore(dataSource);
    try {
      await store.count('pending');
    } catch (error) {
      const reason = messageOf(error);
      if (/not a database|SQLITE_NOTADB|file is encrypted/i.test(reason)) {
        io.stderr(`modulith events: DATABASE_URL ${redactDatabaseUrl(url)} is not a SQLite database (${scrub(reason)}): point DATABASE_URL at the app's database\n`);
        return 2;
      }
      io.stderr(`modulith events: ${redactDatabaseUrl(url)} has no outbox tables (modulith_events, modulith_deliveries): start the app once, or run its migrations\n`);
      return 2;
    }
    try {
      return await run(sub, rest, store, io);
    } catch (error) {
      io.stderr(`modulith events ${sub}: ${scrub(messageOf(error))}\n`);
      return 2;
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Why a sqlite file cannot be the app's database (it does not exist, is a folder, ...), or undefined when it can be opened. */
function sqliteFileProblem(file: string): string | undefined {
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) return 'is a directory';
    if (!stats.isFile()) return 'is not a regular file';
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
    if (code === 'ELOOP') return 'is a symbolic link that loops';
    if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
    return `cannot be opened (${messageOf(error)})`;
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

async function run(sub: string, args: string[], store: OutboxStore, io: CommandIo): Promise<number> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (sub === 'list') {
    const status = flag('--status') as DeliveryStatus | undefined;
    if (status && !['pending', 'completed', 'failed'].includes(status)) {
      io.stderr(`modulith events: --status must be pending, completed or failed (got '${status}')\n`);
      return 2;
    }
    const limit = flag('--limit') ?? '50';
    if (!/^[1-9]\d{0,6}$/.test(limit)) {
      io.stderr(`modulith events: --limit must be a whole number from 1 to 9999999 (got '${limit.slice(0, 40)}')\n`);
      return 2;
    }
    const rows = await store.list({ status, eventName: flag('--event'), limit: Number(limit) });
    if (args.includes('--json')) io.stdout(`${JSON.stringify(rows.map(view), null, 2)}\n`);
    else io.stdout(rows.length === 0 ? 'no deliveries\n' : `${table(rows)}\n`);
    return 0;
  }
  if (sub === 'show') {
    const id = args.find((a) => !a.startsWith('--'));
    if (!id) {
      io.stderr('modulith events show: give a delivery id or an event id\n');
      return 2;
    }
    const rows = await store.list({ ids: [id] });
    if (rows.length === 0) {
      io.stderr(`modulith events: no delivery or event with id ${id}\n`);
      return 1;
    }
    io.stdout(`${JSON.stringify(rows.map(view), null, 2)}\n`);
    return 0;
  }
  if (sub === 'resubmit') {
    const ids = args.includes('--failed')
      ? (await store.list({ status: 'failed', limit: 100_000 })).map((r) => r.id)
      : args.filter((a) => !a.startsWith('--'));
    if (ids.length === 0) {
      io.stderr(args.includes('--failed') ? 'modulith events: no failed deliveries\n' : 'modulith events resubmit: give ids or --failed\n');
      return args.includes('--failed') ? 0 : 2;
    }
    const count = await store.resubmit(ids, Date.now());
    io.stdout(`resubmitted ${count} failed deliver${count === 1 ? 'y' : 'ies'}; a running app retries ${count === 1 ? 'it' : 'them'} within its poll interval\n`);
    return count > 0 ? 0 : 1;
  }
  const olderThan = parseDuration(flag('--older-than'));
  if (olderThan === undefined) {
    io.stderr('modulith events purge: give --older-than DURATION, e.g. 7d, 12h or 30m\n');
    return 2;
  }
  const count = await store.purgeCompleted(Date.now() - olderThan);
  io.stdout(`purged ${count} completed deliver${count === 1 ? 'y' : 'ies'}\n`);
  return 0;
}

function view(row: DeliveryView) {
  let payload: unknown = row.payload;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    // Keep the raw text: an undecodable payload is exactly what an operator needs to see.
  }
  return {
    ...row,
    payload,
    nextAttemptAt: new Date(row.nextAttemptAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
    completedAt: row.completedAt === null ? null : new Date(row.completedAt).toISOString(),
  };
}

function table(rows: DeliveryView[]): string {
  const lines = rows.map((r) => [r.id, r.eventName, r.listener, r.status, String(r.attempts), r.lastError ?? ''].map((c) => c.replace(/\s+/g, ' ')));
  const head = ['DELIVERY', 'EVENT', 'LISTENER', 'STATUS', 'TRIES', 'LAST ERROR'];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i].length))));
  return [head, ...lines].map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]))).join('  ')).join('\n');
}

export function parseDuration(text: string | undefined): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text ?? '');
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
