import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InboxEntry } from './entities/index.js';
import { OUTBOX_DATA_SOURCE } from './event-publisher.js';
import type { DeliveryContext } from './listener-registry.js';
import { runTransaction } from './transactions.js';

/**
 * Delivery is at least once. A listener whose effect must happen once wraps it in
 * `inbox.once(delivery, work)`: the (event id, listener) pair is recorded in the same
 * transaction as the work, so a redelivered event is skipped, and a crash before commit
 * leaves neither the work nor the record.
 */
@Injectable()
export class Inbox {
  constructor(@Inject(OUTBOX_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Runs `work` unless this listener already processed this event. Returns whether it ran. */
  async once(delivery: Pick<DeliveryContext, 'eventId' | 'listener'>, work: (manager: EntityManager) => Promise<unknown>): Promise<boolean> {
    const metadata = this.dataSource.getMetadata(InboxEntry);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    const table = metadata.schema ? `${escape(metadata.schema)}.${escape(metadata.tableName)}` : escape(metadata.tableName);
    const postgres = this.dataSource.options.type === 'postgres';
    const sql = `INSERT INTO ${table} (event_id, listener, processed_at) VALUES (${postgres ? '$1, $2, $3' : '?, ?, ?'}) ON CONFLICT DO NOTHING RETURNING event_id`;
    return runTransaction(this.dataSource, async (manager) => {
      let inserted = await manager.query(sql, [delivery.eventId, delivery.listener, Date.now()]);
      if (postgres && Array.isArray(inserted[0])) inserted = inserted[0];
      if (inserted.length === 0) return false;
      await work(manager);
      return true;
    });
  }
}
