import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs billing's transactions. On PostgreSQL each runs on its own pooled connection and the row
 * locks of its UPDATE serialise concurrent charges. SQLite (better-sqlite3) has one connection
 * shared by the whole app, where two interleaved transactions would nest into each other's
 * savepoints; there they run one after another instead.
 */
@Injectable()
export class BillingTransactions {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') return this.dataSource.transaction(work);
    const next = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
