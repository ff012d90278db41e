import { inboxPrefix, requireBrokerCredential, type BrokerOptions } from '../../remote/index.js';

/**
 * Relays this process's module events to other processes over NATS JetStream, and theirs to
 * this process's listeners. Each process group keeps its own database and outbox.
 */
export interface EventRelayOptions {
  /** NATS server URL(s), comma-separated, e.g. `nats://127.0.0.1:4222`. */
  servers: string;
  /**
   * The credential (one is required unless `insecure`): a token, a user and password, this
   * process group's nkey seed (`SU...`, from `modulith broker-config`), or a `.creds` file.
   */
  token?: string;
  user?: string;
  pass?: string;
  nkeySeed?: string;
  credsFile?: string;
  /**
   * Relay without a credential (or set MODULITH_BROKER_INSECURE=1): development only, since any
   * client of the broker can then read and forge events. Logged at startup.
   */
  insecure?: boolean;
  /** Prefix of the relay's reply subjects; default `_INBOX_<namespace>_<origin>` (see inboxPrefix in nest-modulith). */
  inboxPrefix?: string;
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
  requireBrokerCredential(relayBrokerOptions(options), where);
  return options;
}

/** The relay's connection settings in the shape the broker helpers take. */
export function relayBrokerOptions(options: EventRelayOptions): BrokerOptions {
  return {
    url: options.servers,
    token: options.token,
    user: options.user,
    password: options.pass,
    nkeySeed: options.nkeySeed,
    credsFile: options.credsFile,
    insecure: options.insecure,
    namespace: options.namespace,
    timeoutMs: 5000,
    inboxPrefix: options.inboxPrefix ?? inboxPrefix(options.namespace, options.origin),
    connectionName: `modulith:${options.namespace}:${options.origin}`,
  };
}
