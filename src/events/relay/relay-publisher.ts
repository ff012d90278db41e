import type { OutboxSink } from '../outbox-sink.js';
import type { ClaimedDelivery } from '../outbox-store.js';
import type { RelayConnection } from './relay-connection.js';
import { contractHeaderValues, type EventContractBook } from './event-contracts.js';
import { relayHeaders } from './relay-message.js';
import { RELAY_LISTENER_ID, type RelayNames } from './relay-names.js';

const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * The relay's side of the outbox: every event published here has a delivery to this sink,
 * completed only once JetStream has acknowledged storing the event. The event id is the
 * message id, so a retry after a lost acknowledgement is dropped by JetStream as a duplicate.
 */
export class RelayPublisher implements OutboxSink {
  readonly id = RELAY_LISTENER_ID;
  // A broker outage must not exhaust the attempts: the event waits in the outbox until NATS is
  // back (backoff capped at maxBackoffMs, and made due at once on reconnect).
  readonly maxAttempts = Number.POSITIVE_INFINITY;

  constructor(
    private readonly connection: RelayConnection,
    private readonly names: RelayNames,
    private readonly origin: string,
    private readonly servers: string,
    private readonly contracts?: EventContractBook,
  ) {}

  /** Per `name@version`: the contract headers of its messages (computed once, on first use). */
  private readonly contractHeaders = new Map<string, { fingerprint: string; entry?: string } | undefined>();

  async deliver(delivery: ClaimedDelivery): Promise<void> {
    const link = this.connection.current;
    if (!link) throw new Error(`NATS at ${this.servers} is not connected; the event stays in the outbox and is relayed once it is`);
    // The trace context stored with the event travels in the message headers (relay-message.ts).
    const { eventId: id, name, version, payload, publishedAt, traceContext } = delivery;
    const event = { id, name, version, payload, publishedAt, ...(traceContext ? { traceContext } : {}) };
    await link.js.publish(this.names.subjectOf(delivery.name), delivery.payload, {
      msgID: delivery.eventId,
      headers: relayHeaders({ origin: this.origin, event }, this.contractOf(delivery.name, delivery.version)),
      timeout: PUBLISH_TIMEOUT_MS,
    });
  }

  private contractOf(name: string, version: number): { fingerprint: string; entry?: string } | undefined {
    if (!this.contracts) return undefined;
    const key = `${name}@${version}`;
    if (!this.contractHeaders.has(key)) this.contractHeaders.set(key, contractHeaderValues(this.contracts, name, version));
    return this.contractHeaders.get(key);
  }
}
