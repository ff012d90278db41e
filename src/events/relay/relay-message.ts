import type { MsgHdrs } from '@nats-io/transport-node';
import { natsPackages } from './nats-packages.js';
import type { NewEvent } from '../outbox-store.js';
import { RELAY_HEADERS } from './relay-names.js';
import { EVENT_CONTRACT_HEADERS } from './event-contracts.js';
import { sanitizeCarrier, type TraceCarrier } from '../../observability/index.js';

/** An event as it travels between processes: the stored event and the group that published it. */
export interface RelayedEvent {
  origin: string;
  /**
   * With `traceContext`: the one it was published in (W3C `traceparent`/`tracestate` headers),
   * so its deliveries in the receiving process belong to that trace; none from an older publisher.
   */
  event: NewEvent;
}

/** The message headers that carry the trace context (the W3C names the default propagator uses). */
const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/**
 * Headers for a relayed event. The body is the event's stored JSON, readable by any NATS client.
 * `contract`: the event's contract as this process was built with it (see event-contracts.ts).
 */
export function relayHeaders(relayed: RelayedEvent, contract?: { fingerprint: string; entry?: string }): MsgHdrs {
  const h = natsPackages().transport.headers();
  h.set(RELAY_HEADERS.origin, relayed.origin);
  h.set(RELAY_HEADERS.eventId, relayed.event.id);
  h.set(RELAY_HEADERS.eventName, relayed.event.name);
  h.set(RELAY_HEADERS.eventVersion, String(relayed.event.version));
  h.set(RELAY_HEADERS.publishedAt, String(relayed.event.publishedAt));
  if (contract) {
    h.set(EVENT_CONTRACT_HEADERS.fingerprint, contract.fingerprint);
    if (contract.entry) h.set(EVENT_CONTRACT_HEADERS.entry, contract.entry);
  }
  for (const name of TRACE_HEADERS) {
    const value = relayed.event.traceContext?.[name];
    if (typeof value === 'string' && value !== '') h.set(name, value);
  }
  return h;
}

/** The relayed event of a message, or why the message is not one (it is then dropped, never retried). */
export function readRelayed(msgHeaders: MsgHdrs | undefined, body: string): RelayedEvent | string {
  const get = (name: string) => msgHeaders?.get(name) ?? '';
  const id = get(RELAY_HEADERS.eventId);
  const name = get(RELAY_HEADERS.eventName);
  const version = Number(get(RELAY_HEADERS.eventVersion));
  const publishedAt = Number(get(RELAY_HEADERS.publishedAt));
  const origin = get(RELAY_HEADERS.origin);
  if (!id || id.length > 36) return `header ${RELAY_HEADERS.eventId} is missing or longer than 36 characters`;
  if (!name) return `header ${RELAY_HEADERS.eventName} is missing`;
  if (!Number.isInteger(version) || version < 1) return `header ${RELAY_HEADERS.eventVersion} is not a positive integer`;
  if (!Number.isFinite(publishedAt) || publishedAt <= 0) return `header ${RELAY_HEADERS.publishedAt} is not epoch milliseconds`;
  if (!origin) return `header ${RELAY_HEADERS.origin} is missing`;
  return { origin, event: { id, name, version, payload: body, publishedAt, ...traceOf(get) } };
}

/** The trace context of a message, checked like any carrier from outside (a bad one is dropped, never the event). */
function traceOf(get: (name: string) => string): { traceContext?: TraceCarrier } {
  const found = Object.fromEntries(TRACE_HEADERS.map((name) => [name, get(name)]).filter(([, value]) => value !== ''));
  const traceContext = sanitizeCarrier(found);
  return traceContext ? { traceContext } : {};
}
