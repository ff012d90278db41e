import { createHash } from 'node:crypto';

/** The delivery `listener` of the built-in relay, and its marker in the inbox table. */
export const RELAY_LISTENER_ID = 'modulith.relay';

/** Headers of a relayed event; the body is the event's JSON as stored in the outbox. */
export const RELAY_HEADERS = {
  origin: 'Modulith-Origin',
  eventId: 'Modulith-Event-Id',
  eventName: 'Modulith-Event-Name',
  eventVersion: 'Modulith-Event-Version',
  publishedAt: 'Modulith-Published-At',
} as const;

export interface RelayNames {
  stream: string;
  /** Every subject of the namespace's events, the stream's and the consumer's filter. */
  subjects: string;
  /** The durable consumer of this origin. */
  durable: string;
  subjectOf(eventName: string): string;
}

/** Where a namespace's events live on NATS, and which consumer an origin reads them with. */
export function relayNames(namespace: string, origin: string): RelayNames {
  return {
    stream: `${namespace.toUpperCase()}_EVENTS`,
    subjects: `${namespace}.events.>`,
    durable: `${namespace}_${natsName(origin)}`,
    subjectOf: (eventName) => `${namespace}.events.${eventName}`,
  };
}

/**
 * A valid stream or consumer name (no '.', '*', '>', spaces or slashes). When characters had
 * to be replaced a hash of the original is appended, so 'a+b' and 'a_b' never share a consumer
 * (which would split one group's events between two groups).
 */
export function natsName(raw: string): string {
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  return safe === raw ? raw : `${safe}_${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
}
