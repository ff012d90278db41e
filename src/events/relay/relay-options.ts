/**
 * Relays this process's module events to other processes over NATS JetStream, and theirs to
 * this process's listeners. Each process group keeps its own database and outbox.
 */
export interface EventRelayOptions {
  /** NATS server URL(s), comma-separated, e.g. `nats://127.0.0.1:4222`. */
  servers: string;
  token?: string;
  user?: string;
  pass?: string;
  /**
   * Prefix of every subject, stream and consumer, so several apps (or test runs) can share one
   * NATS: one lowercase token, e.g. `modulith`.
   */
  namespace: string;
  /**
   * This process group, e.g. `media` or `accounts+billing+notifications`. Instances of one
   * group share one database and one durable consumer; events it published itself are not
   * imported back.
   */
  origin: string;
  /**
   * How long the stream keeps events (default 7 days): a process group down for longer misses
   * older ones. 0 keeps them until removed by hand.
   */
  streamMaxAgeMs?: number;
}

export const RELAY_OPTIONS = Symbol('nest-modulith:relay-options');

const NAMESPACE = /^[a-z0-9][a-z0-9_-]*$/;

/** Throws, naming the fix, when the options cannot work; returns them otherwise. */
export function validateRelayOptions(options: EventRelayOptions): EventRelayOptions {
  const where = 'ModulithEventsModule.forRoot({ relay })';
  if (!options.servers?.trim()) throw new Error(`${where}: 'servers' is empty; give the NATS URL, e.g. nats://127.0.0.1:4222`);
  if (!NAMESPACE.test(options.namespace ?? '')) {
    throw new Error(`${where}: namespace '${options.namespace}' must be one lowercase token of a-z, 0-9, '-' and '_' (e.g. 'modulith'), as it prefixes NATS subjects and stream names`);
  }
  if (!options.origin?.trim() || /\s/.test(options.origin)) {
    throw new Error(`${where}: origin '${options.origin ?? ''}' must name this process group without spaces, e.g. 'media' or 'accounts+billing'`);
  }
  return options;
}
