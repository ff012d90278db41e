import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { parseTraceCarrier, sanitizeCarrier, serializeTraceCarrier, type TraceCarrier } from '../observability/index.js';
import { runTransaction } from './transactions.js';
import { ArchivedDeliveryRecord, DeliveryRecord, EventRecord, InboxEntry, type DeliveryStatus } from './entities/index.js';
import { RELAY_LISTENER_ID } from './relay/relay-names.js';

/** A delivery claimed by this instance, joined with its event. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  listener: string;
  attempts: number;
  name: string;
  version: number;
  payload: string;
  publishedAt: number;
  /** The publisher's trace context stored with the event (sanitised), absent when none was. */
  traceContext?: TraceCarrier;
}

export type CompletionMode = 'keep' | 'delete' | 'archive';

/** A new event row (plain data: the entity classes stay private to the outbox). */
export interface NewEvent {
  id: string;
  name: string;
  version: number;
  payload: string;
  publishedAt: number;
  /**
   * The trace context to continue when delivering it: the publisher's (injectTraceContext), or
   * the carrier a relayed event arrived with. Stored only when it holds something.
   */
  traceContext?: TraceCarrier;
}

/** Pending deliveries of one listener, for the outbox gauges. */
export interface ListenerBacklog {
  listener: string;
  pending: number;
  /** created_at of its oldest pending delivery (epoch ms). */
  oldestCreatedAt: number;
}

/** A new delivery row: one event to one listener, due now. */
export interface NewDelivery {
  id: string;
  eventId: string;
  listener: string;
  createdAt: number;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventName: string;
  eventVersion: number;
  listener: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  lastError: string | null;
  createdAt: number;
  completedAt: number | null;
  payload: string;
}

/**
 * Every SQL statement of the outbox, for PostgreSQL and SQLite. The hot paths (claim, complete)
 * are single set-based statements: a batch costs a round trip, not one per delivery.
 */
export class OutboxStore {
  private readonly postgres: boolean;
  readonly events: string;
  readonly deliveries: string;
  readonly archive: string;
  readonly inbox: string;

  constructor(private readonly dataSource: DataSource) {
    const type = dataSource.options.type;
    if (type !== 'postgres' && type !== 'better-sqlite3') {
      throw new Error(`nest-modulith events: database type '${type}' is not supported (use postgres or better-sqlite3)`);
    }
    this.postgres = type === 'postgres';
    this.events = this.table(EventRecord);
    this.deliveries = this.table(DeliveryRecord);
    this.archive = this.table(ArchivedDeliveryRecord);
    this.inbox = this.table(InboxEntry);
  }

  get supportsSkipLocked(): boolean {
    return this.postgres;
  }

  async insert(manager: EntityManager, events: NewEvent[], deliveries: NewDelivery[]): Promise<void> {
    // Chunked multi-row inserts keep statements under the drivers' parameter limits.
    const rows = events.map(({ traceContext, ...event }) => ({ ...event, traceContext: traceText(traceContext) }));
    for (const chunk of chunks(rows, 500)) await manager.insert(EventRecord, chunk);
    await this.insertDeliveries(manager, deliveries);
  }

  /**
   * Records an event relayed from another process, under its original id, with `deliveries` to
   * this process's listeners, in the caller's transaction. Returns false, adding no delivery, for
   * a duplicate: an event id imported before (remembered by a marker in the inbox table, which
   * outlives the event row when completed rows are deleted) or already in this outbox.
   */
  async importRelayed(manager: EntityManager, event: NewEvent, deliveries: NewDelivery[], now: number): Promise<boolean> {
    const marked = await this.query(
      `INSERT INTO ${this.inbox} (event_id, listener, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING event_id`,
      [event.id, RELAY_LISTENER_ID, now],
      manager,
    );
    if (marked.length === 0) return false;
    const inserted = await this.query(
      `INSERT INTO ${this.events} (id, name, version, payload, published_at, trace_context) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [event.id, event.name, event.version, event.payload, event.publishedAt, traceText(event.traceContext)],
      manager,
    );
    if (inserted.length === 0) return false;
    await this.insertDeliveries(manager, deliveries);
    return true;
  }

  /**
   * Makes `listener`'s pending deliveries due now, backoff or lease notwithstanding: for the
   * relay once the broker is back. Only for idempotent receivers, as a delivery in flight may
   * then run twice.
   */
  async makeDue(listener: string, now: number): Promise<number> {
    const rows: unknown[] = await this.query(
      `UPDATE ${this.deliveries} SET next_attempt_at = ? WHERE listener = ? AND status = 'pending' AND next_attempt_at > ? RETURNING id`,
      [now, listener, now],
    );
    return rows.length;
  }

  private async insertDeliveries(manager: EntityManager, deliveries: NewDelivery[]): Promise<void> {
    const rows = deliveries.map((d) => ({
      ...d,
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: d.createdAt,
      claimedBy: null,
      lastError: null,
      completedAt: null,
    }));
    for (const chunk of chunks(rows, 500)) await manager.insert(DeliveryRecord, chunk);
  }

  /**
   * Leases up to `limit` due deliveries to `owner` until `now + leaseMs`. On PostgreSQL rows
   * locked by another instance's claim are skipped (FOR UPDATE SKIP LOCKED), so instances never
   * take the same delivery; a lease that is not completed in time becomes due again.
   */
  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const due = `SELECT id FROM ${this.deliveries} WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`;
    const claimed: Array<{ id: string; event_id: string; listener: string; attempts: number | string }> = this.postgres
      ? await this.query(
          `UPDATE ${this.deliveries} d SET claimed_by = ?, next_attempt_at = ?, attempts = d.attempts + 1
           FROM (${due} FOR UPDATE SKIP LOCKED) c WHERE d.id = c.id
           RETURNING d.id, d.event_id, d.listener, d.attempts`,
          [owner, now + leaseMs, now, limit],
        )
      : await this.query(
          `UPDATE ${this.deliveries} SET claimed_by = ?, next_attempt_at = ?, attempts = attempts + 1
           WHERE id IN (${due}) RETURNING id, event_id, listener, attempts`,
          [owner, now + leaseMs, now, limit],
        );
    if (claimed.length === 0) return [];
    const eventIds = [...new Set(claimed.map((c) => c.event_id))];
    const events: Array<{ id: string; name: string; version: number; payload: string; published_at: string | number; trace_context: string | null }> = await this.query(
      `SELECT id, name, version, payload, published_at, trace_context FROM ${this.events} WHERE id IN (${this.placeholders(eventIds.length)})`,
      eventIds,
    );
    const byId = new Map(events.map((e) => [e.id, e]));
    return claimed.map((c) => {
      const event = byId.get(c.event_id);
      return {
        id: c.id,
        eventId: c.event_id,
        listener: c.listener,
        attempts: Number(c.attempts),
        name: event?.name ?? '(missing event)',
        version: Number(event?.version ?? 0),
        payload: event?.payload ?? '',
        publishedAt: Number(event?.published_at ?? 0),
        // Parsed (and sanitised) here: the column is data, anyone with database access wrote it.
        ...(event?.trace_context ? { traceContext: parseTraceCarrier(event.trace_context) } : {}),
      };
    });
  }

  /**
   * Pending deliveries per listener, in one grouped query (for the outbox gauges). Undefined once
   * the DataSource is closed: a metrics collection at shutdown must not fail.
   */
  async backlog(): Promise<ListenerBacklog[] | undefined> {
    if (!this.dataSource.isInitialized) return undefined;
    const rows: Array<{ listener: string; n: number | string; oldest: number | string }> = await this.query(
      `SELECT listener, COUNT(*) AS n, MIN(created_at) AS oldest FROM ${this.deliveries} WHERE status = 'pending' GROUP BY listener`,
      [],
    );
    return rows.map((r) => ({ listener: r.listener, pending: Number(r.n), oldestCreatedAt: Number(r.oldest) }));
  }

  /** Marks deliveries done, still leased by `owner` (a lease lost to another instance is left alone). */
  async complete(ids: string[], owner: string, now: number, mode: CompletionMode): Promise<void> {
    if (ids.length === 0) return;
    const owned = `id IN (${this.placeholders(ids.length)}) AND claimed_by = ? AND status = 'pending'`;
    if (mode === 'keep') {
      await this.query(`UPDATE ${this.deliveries} SET status = 'completed', completed_at = ?, last_error = NULL WHERE ${owned}`, [now, ...ids, owner]);
      return;
    }
    await runTransaction(this.dataSource, async (manager) => {
      if (mode === 'archive') {
        await this.query(
          `INSERT INTO ${this.archive} (id, event_id, event_name, payload, listener, attempts, completed_at)
           SELECT d.id, d.event_id, e.name, e.payload, d.listener, d.attempts, ? FROM ${this.deliveries} d
           JOIN ${this.events} e ON e.id = d.event_id
           WHERE d.id IN (${this.placeholders(ids.length)}) AND d.claimed_by = ? AND d.status = 'pending'`,
          [now, ...ids, owner],
          manager,
        );
      }
      const eventIds: Array<{ event_id: string }> = await this.query(
        `SELECT DISTINCT event_id FROM ${this.deliveries} WHERE id IN (${this.placeholders(ids.length)})`,
        ids,
        manager,
      );
      await this.query(`DELETE FROM ${this.deliveries} WHERE ${owned}`, [...ids, owner], manager);
      await this.deleteOrphanEvents(eventIds.map((e) => e.event_id), manager);
    });
  }

  /** Puts a delivery back to pending, due at `nextAttemptAt`, remembering why it failed. */
  async retryLater(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.query(
      `UPDATE ${this.deliveries} SET next_attempt_at = ?, last_error = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'`,
      [nextAttemptAt, error, id, owner],
    );
  }

  async fail(id: string, owner: string, error: string): Promise<void> {
    await this.query(`UPDATE ${this.deliveries} SET status = 'failed', last_error = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'`, [
      error,
      id,
      owner,
    ]);
  }

  async list(filter: { status?: DeliveryStatus; eventName?: string; limit?: number; ids?: string[] } = {}): Promise<DeliveryView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) (where.push('d.status = ?'), params.push(filter.status));
    if (filter.eventName) (where.push('e.name = ?'), params.push(filter.eventName));
    if (filter.ids?.length) (where.push(`(d.id IN (${this.placeholders(filter.ids.length)}) OR d.event_id IN (${this.placeholders(filter.ids.length)}))`), params.push(...filter.ids, ...filter.ids));
    const rows: any[] = await this.query(
      `SELECT d.id, d.event_id, e.name, e.version, e.payload, d.listener, d.status, d.attempts, d.next_attempt_at, d.claimed_by, d.last_error, d.created_at, d.completed_at
       FROM ${this.deliveries} d JOIN ${this.events} e ON e.id = d.event_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_at, d.id LIMIT ?`,
      [...params, filter.limit ?? 100],
    );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventName: r.name,
      eventVersion: Number(r.version),
      listener: r.listener,
      status: r.status,
      attempts: Number(r.attempts),
      nextAttemptAt: Number(r.next_attempt_at),
      claimedBy: r.claimed_by,
      lastError: r.last_error,
      createdAt: Number(r.created_at),
      completedAt: r.completed_at === null ? null : Number(r.completed_at),
      payload: r.payload,
    }));
  }

  async count(status: DeliveryStatus): Promise<number> {
    const [row] = await this.query(`SELECT COUNT(*) AS n FROM ${this.deliveries} WHERE status = ?`, [status]);
    return Number(row.n);
  }

  /** Failed deliveries (by delivery id or event id) go back to pending, due now, attempts reset. */
  async resubmit(ids: string[], now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const rows: unknown[] = await this.query(
      `UPDATE ${this.deliveries} SET status = 'pending', attempts = 0, next_attempt_at = ?, claimed_by = NULL
       WHERE status = 'failed' AND (id IN (${this.placeholders(ids.length)}) OR event_id IN (${this.placeholders(ids.length)})) RETURNING id`,
      [now, ...ids, ...ids],
    );
    return rows.length;
  }

  /** Removes completed deliveries (and archived ones) older than `before`, events left with none, and old relay markers. */
  async purgeCompleted(before: number): Promise<number> {
    const deleted: Array<{ event_id: string }> = await this.query(
      `DELETE FROM ${this.deliveries} WHERE status = 'completed' AND completed_at < ? RETURNING event_id`,
      [before],
    );
    await this.query(`DELETE FROM ${this.archive} WHERE completed_at < ?`, [before]);
    // Markers of relayed events only guard against redelivery, which happens within minutes
    // (ack timeout once the consumer runs, JetStream's duplicate window): they need not outlive
    // completed deliveries.
    await this.query(`DELETE FROM ${this.inbox} WHERE listener = ? AND processed_at < ?`, [RELAY_LISTENER_ID, before]);
    await this.deleteOrphanEvents([...new Set(deleted.map((d) => d.event_id))]);
    return deleted.length;
  }

  private async deleteOrphanEvents(eventIds: string[], manager?: EntityManager): Promise<void> {
    for (const chunk of chunks(eventIds, 500)) {
      await this.query(
        `DELETE FROM ${this.events} WHERE id IN (${this.placeholders(chunk.length)})
         AND NOT EXISTS (SELECT 1 FROM ${this.deliveries} d WHERE d.event_id = ${this.events}.id)`,
        chunk,
        manager,
      );
    }
  }

  private table(entity: Function): string {
    const metadata = this.dataSource.getMetadata(entity);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    return metadata.schema ? `${escape(metadata.schema)}.${escape(metadata.tableName)}` : escape(metadata.tableName);
  }

  private placeholders(n: number): string {
    return Array.from({ length: n }, () => '?').join(', ');
  }

  /** Runs SQL written with `?` placeholders, numbered `$n` for PostgreSQL. */
  private async query(sql: string, params: unknown[], manager?: EntityManager): Promise<any[]> {
    let n = 0;
    const text = this.postgres ? sql.replace(/\?/g, () => `$${++n}`) : sql;
    const result = await (manager ?? this.dataSource).query(text, params);
    // PostgreSQL's driver returns [rows, count] for UPDATE/DELETE ... RETURNING through TypeORM.
    if (this.postgres && Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0];
    }
    return result as ObjectLiteral[];
  }
}

/** A carrier as the column holds it: sanitised JSON (a relayed one came from the broker), or null. */
function traceText(carrier: TraceCarrier | undefined): string | null {
  const clean = carrier && sanitizeCarrier(carrier);
  return clean ? serializeTraceCarrier(clean) : null;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
