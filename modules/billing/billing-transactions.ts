import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { runTransaction } from 'nest-modulith/events';

/**
 * Runs billing's transactions. On PostgreSQL each runs on its own pooled connection and the row
 * locks of its UPDATE serialise concurrent charges. On SQLite (one connection for the whole app)
 * nest-modulith's runTransaction queues them with every other transaction of the app, so two
 * never nest into each other's savepoints.
 */
@Injectable()
export class BillingTransactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return runTransaction(this.dataSource, work);
  }
}
