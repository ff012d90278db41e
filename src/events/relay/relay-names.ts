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

// Where a namespace's events live on NATS: one definition (src/remote/nats-names.ts), shared
// with the broker authorization that `modulith broker-config` writes from the module graph.
export { relayNames, natsName, type RelayNames } from '../../remote/index.js';
