import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

const queues = new WeakMap<DataSource, Promise<unknown>>();
const inside = new AsyncLocalStorage<DataSource>();

/**
 * `dataSource.transaction(work)`, safe on SQLite too. better-sqlite3 gives TypeORM one
 * connection for the whole app, so two concurrent transactions would silently nest into each
 * other's savepoints (one's rollback undoing the other's work). There, transactions of the
 * DataSource run one after another; a transaction started from inside another one (same async
 * flow) runs at once as a savepoint, so nesting cannot deadlock. PostgreSQL is left alone: each
 * transaction has its own pooled connection.
 */
export function runTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3' || inside.getStore() === dataSource) {
    return dataSource.transaction(work);
  }
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(() => inside.run(dataSource, () => dataSource.transaction(work)));
  queues.set(dataSource, next.catch(() => undefined));
  return next;
}
