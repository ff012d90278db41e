import type { ClaimedDelivery, EventClass, OutboxSink, decodeEvent, eventTypeOf } from '../events/index.js';

/** What the capture uses of the events subsystem, handed in once it is loaded (it needs TypeORM). */
export interface EventCodec {
  decodeEvent: typeof decodeEvent;
  eventTypeOf: typeof eventTypeOf;
}

/** One event as the outbox stored it, captured once its transaction committed. */
export interface CapturedEvent {
  /** The event id (the same one listeners see as delivery.eventId). */
  id: string;
  name: string;
  version: number;
  publishedAt: number;
  /** The stored JSON. */
  payload: string;
}

/** The sink id under which the outbox hands every event of a slice to the capture. */
export const CAPTURE_SINK_ID = 'modulith.testing.capture';

/**
 * Every event published in a slice, in commit order. It is an outbox sink, next to the slice's
 * listeners: the outbox writes its delivery in the publishing transaction, so a rolled-back
 * publish is never captured, and the sink sees it only after the commit, as a listener would.
 */
export class CapturedEvents {
  private readonly events: CapturedEvent[] = [];
  private readonly watchers = new Set<() => void>();

  constructor(private readonly codec: EventCodec) {}

  /** The outbox sink to register (OUTBOX_SINKS) so the capture receives every event. */
  readonly sink: OutboxSink = {
    id: CAPTURE_SINK_ID,
    maxAttempts: 1,
    deliver: async (delivery: ClaimedDelivery) => this.capture(delivery),
  };

  /** The captured events of `type` decoded into its class, or every captured event as stored. */
  published(): CapturedEvent[];
  published<E extends object>(type: EventClass<E>): E[];
  published<E extends object>(type?: EventClass<E>): E[] | CapturedEvent[] {
    if (!type) return [...this.events];
    return this.of(type).map((event) => this.codec.decodeEvent(event.payload, type));
  }

  /** A captured event decoded into `type`. */
  decode<E extends object>(event: CapturedEvent, type: EventClass<E>): E {
    return this.codec.decodeEvent(event.payload, type);
  }

  /** The captured events of `type`, as stored (with their ids). */
  of(type: EventClass): CapturedEvent[] {
    const { name, version } = this.codec.eventTypeOf(type);
    return this.events.filter((event) => event.name === name && event.version === version);
  }

  /** How many events are captured so far: a mark for `since`. */
  get count(): number {
    return this.events.length;
  }

  /** The events captured after `mark` (a former `count`). */
  since(mark: number): CapturedEvent[] {
    return this.events.slice(mark);
  }

  /** Calls `watcher` after each captured event until the returned function is called. */
  watch(watcher: () => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private capture(delivery: ClaimedDelivery): void {
    // At least once: a redelivered event is captured once.
    if (this.events.some((event) => event.id === delivery.eventId)) return;
    this.events.push({ id: delivery.eventId, name: delivery.name, version: delivery.version, publishedAt: delivery.publishedAt, payload: delivery.payload });
    for (const watcher of [...this.watchers]) watcher();
  }
}

/** `media.job.failed@1 (id 0190...)`: how messages name a captured event. */
export function describeCaptured(event: CapturedEvent): string {
  return `${event.name}@${event.version} (id ${event.id})`;
}
