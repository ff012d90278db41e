import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { encodeEvent } from './event-codec.js';
import { startPublication, type Publication } from './event-telemetry.js';
import { ListenerRegistry } from './listener-registry.js';
import { eventTypeOf } from './module-event.decorator.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OUTBOX_SINKS, type OutboxSink } from './outbox-sink.js';
import { OutboxStore, type NewDelivery, type NewEvent } from './outbox-store.js';
import { recordError } from '../observability/index.js';
import { runTransaction } from './transactions.js';
import { uuid7 } from './uuid7.js';

export const OUTBOX_DATA_SOURCE = Symbol('nest-modulith:outbox-data-source');
const PUBLISHED = 'nest-modulith:published';

/**
 * Publishes module events through the outbox. Inside a transaction the event and one delivery
 * per listener are written with the caller's own changes, so both commit or neither does:
 *
 *   await this.events.transaction(async (manager, publish) => {
 *     await manager.save(job);
 *     await publish(new JobCompleted(job.id));
 *   });
 */
@Injectable()
export class EventPublisher implements OnModuleInit {
  constructor(
    @Inject(OUTBOX_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(OutboxStore) private readonly store: OutboxStore,
    @Inject(ListenerRegistry) private readonly registry: ListenerRegistry,
    @Inject(OutboxDispatcher) private readonly dispatcher: OutboxDispatcher,
    @Inject(OUTBOX_SINKS) private readonly sinks: OutboxSink[],
  ) {}

  onModuleInit(): void {
    // Wake the dispatcher when a transaction that published events commits (not before:
    // uncommitted rows are invisible to its claim).
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        const data = event.queryRunner.data as Record<string, unknown>;
        if (data?.[PUBLISHED]) {
          data[PUBLISHED] = false;
          this.dispatcher.wake();
        }
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  /**
   * Records events for delivery. With `manager` they join that transaction (delivered after it
   * commits); without, they are committed at once in a transaction of their own.
   * Returns the events' ids.
   */
  async publish(events: object | object[], manager?: EntityManager): Promise<string[]> {
    const list = Array.isArray(events) ? events : [events];
    if (!manager) return this.transaction((tx) => this.publish(list, tx));
    const now = Date.now();
    const eventRows: NewEvent[] = [];
    const deliveryRows: NewDelivery[] = [];
    const ids: string[] = [];
    // One PRODUCER span per event, ended once its row is written; its context goes with the row.
    const publications: Publication[] = [];
    try {
      for (const event of list) {
        const type = eventTypeOf(event.constructor);
        const id = uuid7(now);
        ids.push(id);
        const publication = startPublication(type, id);
        publications.push(publication);
        // Sinks (the relay to other processes) receive every event, listened to here or not.
        const receivers = [...this.registry.listenersOf(type.name).map((l) => l.id), ...this.sinks.map((s) => s.id)];
        if (receivers.length === 0) continue;
        const row: NewEvent = { id, name: type.name, version: type.version, payload: encodeEvent(event), publishedAt: now };
        if (publication.traceContext) row.traceContext = publication.traceContext;
        eventRows.push(row);
        for (const receiver of receivers) {
          deliveryRows.push({ id: uuid7(now), eventId: id, listener: receiver, createdAt: now });
        }
      }
      if (eventRows.length === 0) return ids;
      await this.store.insert(manager, eventRows, deliveryRows);
    } catch (error) {
      for (const { span } of publications) recordError(span, error);
      throw error;
    } finally {
      for (const { span } of publications) span.end();
    }
    if (manager.queryRunner?.isTransactionActive) {
      (manager.queryRunner.data as Record<string, unknown>)[PUBLISHED] = true;
    } else {
      this.dispatcher.wake();
    }
    return ids;
  }

  /** Runs `work` in a transaction of the outbox's DataSource with a `publish` bound to it. */
  async transaction<T>(work: (manager: EntityManager, publish: (events: object | object[]) => Promise<string[]>) => Promise<T>): Promise<T> {
    const result = await runTransaction(this.dataSource, (manager) => work(manager, (events) => this.publish(events, manager)));
    this.dispatcher.wake();
    return result;
  }
}
