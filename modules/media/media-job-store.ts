import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type ObjectLiteral } from 'typeorm';
import { runTransaction } from 'nest-modulith/events';
import { MediaJob, type MediaJobState } from './media-job.entity.js';

/** States an instance still has work to do in. */
const UNFINISHED: MediaJobState[] = ['charging', 'queued', 'running'];

/**
 * The claims on media's jobs, for PostgreSQL and SQLite: the outbox's lease pattern. An instance
 * takes a job by writing its name and a lease into the row; every later change of the job is
 * conditional on that claim, so an instance that lost its lease (it stalled, another took over)
 * changes nothing. On PostgreSQL concurrent claims skip each other's rows (FOR UPDATE SKIP LOCKED).
 */
@Injectable()
export class MediaJobStore {
  private readonly postgres: boolean;
  private readonly table: string;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
    const metadata = dataSource.getMetadata(MediaJob);
    const escape = (name: string) => dataSource.driver.escape(name);
    this.table = metadata.schema ? `${escape(metadata.schema)}.${escape(metadata.tableName)}` : escape(metadata.tableName);
  }

  get usesSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * Inserts a new job in a transaction of its own: committed when this resolves, even on SQLite,
   * where a lone statement could otherwise join another transaction open on the shared connection.
   */
  async record(job: MediaJob): Promise<void> {
    await runTransaction(this.dataSource, (manager) => manager.insert(MediaJob, job));
  }

  /** Claims up to `limit` unfinished jobs nobody holds (or whose lease ran out), oldest first. */
  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<MediaJob[]> {
    if (limit <= 0) return [];
    const states = UNFINISHED.map(() => '?').join(', ');
    const due = `SELECT id FROM ${this.table} WHERE status IN (${states}) AND (lease_until IS NULL OR lease_until <= ?) ORDER BY created_at LIMIT ?`;
    const params = [owner, now + leaseMs, ...UNFINISHED, now, limit];
    const rows: Array<{ id: string }> = this.postgres
      ? await this.query(
          `UPDATE ${this.table} j SET claimed_by = ?, lease_until = ?, attempts = j.attempts + 1
           FROM (${due} FOR UPDATE SKIP LOCKED) c WHERE j.id = c.id RETURNING j.id`,
          params,
        )
      : await this.query(`UPDATE ${this.table} SET claimed_by = ?, lease_until = ?, attempts = attempts + 1 WHERE id IN (${due}) RETURNING id`, params);
    if (rows.length === 0) return [];
    return this.dataSource.getRepository(MediaJob).find({ where: { id: In(rows.map((r) => r.id)) }, order: { createdAt: 'ASC' } });
  }

  /** Extends `owner`'s lease on those of `ids` it still holds; returns them. */
  async renew(owner: string, ids: string[], now: number, leaseMs: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.query(
      `UPDATE ${this.table} SET lease_until = ? WHERE claimed_by = ? AND id IN (${ids.map(() => '?').join(', ')}) RETURNING id`,
      [now + leaseMs, owner, ...ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Changes a job that `owner` holds in state `from`; false (nothing changed) when it no longer
   * does. With `manager`, inside that transaction.
   */
  async move(owner: string, id: string, from: MediaJobState, changes: Partial<MediaJob>, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.dataSource.manager).update(MediaJob, { id, claimedBy: owner, status: from }, changes);
    return result.affected === 1;
  }

  /** Deletes a charging job `owner` holds (its charge was refused at submission: it never existed). */
  async discard(owner: string, id: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(MediaJob, { id, claimedBy: owner, status: 'charging' });
    return result.affected === 1;
  }

  /**
   * Gives up `owner`'s claims on queued and running jobs, so they are taken at once (graceful
   * shutdown). Charging jobs keep their lease: a charge may still be on its way to billing.
   */
  async release(owner: string): Promise<void> {
    await this.query(`UPDATE ${this.table} SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ? AND status IN ('queued', 'running')`, [owner]);
  }

  /**
   * SQLite only (one process per database file): at startup, every claim on a queued or running
   * job belongs to a process that is gone, so they are taken at once instead of after their lease.
   */
  async releaseDeadClaims(): Promise<number> {
    const rows: unknown[] = await this.query(
      `UPDATE ${this.table} SET claimed_by = NULL, lease_until = NULL WHERE claimed_by IS NOT NULL AND status IN ('queued', 'running') RETURNING id`,
      [],
    );
    return rows.length;
  }

  /** Runs SQL written with `?` placeholders, numbered `$n` for PostgreSQL. */
  private async query(sql: string, params: unknown[]): Promise<any[]> {
    let n = 0;
    const text = this.postgres ? sql.replace(/\?/g, () => `$${++n}`) : sql;
    const result = await this.dataSource.query(text, params);
    // PostgreSQL's driver returns [rows, count] for UPDATE/DELETE ... RETURNING through TypeORM.
    if (this.postgres && Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0];
    }
    return result as ObjectLiteral[];
  }
}
