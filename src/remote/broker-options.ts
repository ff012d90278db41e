/** How a process reaches the broker and names its subjects. */
export interface BrokerOptions {
  /** NATS server URL(s), comma separated; default nats://127.0.0.1:4222. */
  url: string;
  /** Shared credential: a NATS auth token, or a user and password. The broker refuses others. */
  token?: string;
  user?: string;
  password?: string;
  /** Prefix of every subject, so several apps (or test runs) can share one broker. Default `modulith`. */
  namespace: string;
  /** How long a remote facade call may take before it fails with a 504 (default 5000 ms). */
  timeoutMs: number;
  /** Names the connection in the broker's monitoring (e.g. the hosted modules). */
  connectionName?: string;
}

export const DEFAULT_BROKER_URL = 'nats://127.0.0.1:4222';

/** Options for @nats-io/transport-node `connect` (and Nest's NATS client/server, which pass them on). */
export function natsConnectOptions(broker: BrokerOptions): Record<string, unknown> {
  return {
    servers: broker.url.split(',').map((server) => server.trim()).filter(Boolean),
    ...(broker.token ? { token: broker.token } : {}),
    ...(broker.user ? { user: broker.user, pass: broker.password ?? '' } : {}),
    ...(broker.connectionName ? { name: broker.connectionName } : {}),
    // Once connected, reconnect for ever: a broker restart must not need an app restart. The
    // first connection fails fast instead; BrokerClient/BrokerServer retry it in a loop that
    // close() can stop (nats.js cannot cancel its own first-connect retries).
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: false,
  };
}

/** Subjects, one per facade (so the broker's permissions can be scoped) and one for HTTP per module. */
export const subjects = {
  facade: (namespace: string, module: string, facade: string): string => `${namespace}.facade.${module}.${facade}`,
  http: (namespace: string, module: string): string => `${namespace}.http.${module}`,
};

/** The URL without its password or token, for messages and logs. */
export function printableUrl(broker: BrokerOptions): string {
  return broker.url.replace(/\/\/[^@/]*@/g, '//***@');
}
