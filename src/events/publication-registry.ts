import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryStatus } from './entities/index.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxStore, type DeliveryView } from './outbox-store.js';

/**
 * Operations on the outbox, for code and for `modulith events`: inspect deliveries, resubmit
 * failed ones after fixing their cause, purge old completed rows.
 */
@Injectable()
export class EventPublicationRegistry {
  constructor(
    @Inject(OutboxStore) private readonly store: OutboxStore,
    @Inject(OutboxDispatcher) private readonly dispatcher: OutboxDispatcher,
  ) {}

  list(filter: { status?: DeliveryStatus; eventName?: string; limit?: number } = {}): Promise<DeliveryView[]> {
    return this.store.list(filter);
  }

  failed(limit = 100): Promise<DeliveryView[]> {
    return this.store.list({ status: 'failed', limit });
  }

  /** A delivery, or all deliveries of an event, by id. */
  inspect(id: string): Promise<DeliveryView[]> {
    return this.store.list({ ids: [id] });
  }

  async counts(): Promise<Record<DeliveryStatus, number>> {
    const [pending, completed, failed] = await Promise.all([this.store.count('pending'), this.store.count('completed'), this.store.count('failed')]);
    return { pending, completed, failed };
  }

  /** Failed deliveries (by delivery or event id) are retried from attempt 1. Returns how many. */
  async resubmit(ids: string[]): Promise<number> {
    const count = await this.store.resubmit(ids, Date.now());
    if (count > 0) this.dispatcher.wake();
    return count;
  }

  purgeCompleted(olderThanMs: number): Promise<number> {
    return this.store.purgeCompleted(Date.now() - olderThanMs);
  }
}
