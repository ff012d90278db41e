import type { ClaimedDelivery } from './outbox-store.js';

/**
 * A built-in receiver of every event published in this process, next to the app's listeners:
 * each publish writes one delivery per sink, and the dispatcher hands the raw stored event to
 * `deliver`. The relay to other processes is one. A sink sees the payload as stored (no event
 * class here to decode it into), and a throw is retried with the normal backoff.
 */
export interface OutboxSink {
  /** The delivery's `listener` column; must not collide with a listener id. */
  readonly id: string;
  /** Attempts before the delivery is failed (Infinity: retry until it succeeds). */
  readonly maxAttempts?: number;
  deliver(delivery: ClaimedDelivery): Promise<void>;
}

export const OUTBOX_SINKS = Symbol('nest-modulith:outbox-sinks');
