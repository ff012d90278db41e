import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl, DEFAULT_DATABASE_URL } from './database-url.js';
import { OUTBOX_ENTITIES, type DeliveryStatus } from './entities/index.js';
import { OutboxStore, type DeliveryView } from './outbox-store.js';

export interface CommandIo {
  env: NodeJS.ProcessEnv;
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
  let dataSource: DataSource;
  try {
    dataSource = new DataSource({ ...dataSourceOptionsFromUrl(url, io.env.DATABASE_SCHEMA || undefined), entities: OUTBOX_ENTITIES, synchronize: false, logging: false });
    await dataSource.initialize();
  } catch (error) {
    io.stderr(`modulith events: cannot open DATABASE_URL ${redact(url)}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const store = new OutboxStore(dataSource);
    try {
      await store.count('pending');
    } catch {
      io.stderr(`modulith events: ${redact(url)} has no outbox tables (modulith_events, modulith_deliveries): start the app once, or run its migrations\n`);
      return 2;
    }
    return await run(sub, rest, store, io);
  } finally {
    await dataSource.destroy();
  }
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
    const rows = await store.list({ status, eventName: flag('--event'), limit: Number(flag('--limit') ?? 50) });
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

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
