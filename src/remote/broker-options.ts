import { facadeMethodSubject, facadeSubject, httpSubject } from './nats-names.js';
import { nkeyAuthenticator, readCredsFile } from './nkeys.js';

/** How a process reaches the broker and names its subjects. */
export interface BrokerOptions {
  /** NATS server URL(s), comma separated; default nats://127.0.0.1:4222. */
  url: string;
  /**
   * The credential (one of them is required, see requireBrokerCredential): a NATS auth token, a
   * user and password, this process's nkey seed (`SU...`, as `modulith broker-config` writes one
   * per process), or a `.creds` file (NATS JWT auth). The broker refuses others.
   */
  token?: string;
  user?: string;
  password?: string;
  nkeySeed?: string;
  credsFile?: string;
  /**
   * Use the broker without any credential (MODULITH_BROKER_INSECURE=1): local development only,
   * since any client on the broker can then call this process's facades. Logged at startup.
   */
  insecure?: boolean;
  /**
   * Prefix of this process's reply subjects (NATS `inboxPrefix`). Default: one per process group,
   * `_INBOX_<namespace>_<group>` (see inboxPrefix), which the generated broker authorization
   * lets only that group subscribe to.
   */
  inboxPrefix?: string;
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
    ...(broker.nkeySeed ? { authenticator: nkeyAuthenticator(broker.nkeySeed) } : {}),
    ...(broker.credsFile && !broker.nkeySeed ? { authenticator: credsAuthenticator(broker.credsFile) } : {}),
    ...(broker.inboxPrefix ? { inboxPrefix: broker.inboxPrefix } : {}),
    ...(broker.connectionName ? { name: broker.connectionName } : {}),
    // Once connected, reconnect for ever: a broker restart must not need an app restart. The
    // first connection fails fast instead; BrokerClient/BrokerServer retry it in a loop that
    // close() can stop (nats.js cannot cancel its own first-connect retries).
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: false,
  };
}

/**
 * Subjects: one per facade method (what clients call, so the broker's permissions can allow a
 * caller exactly the methods it uses), the facade's own subject (served too, for older clients;
 * no generated permission lets anyone publish to it), and one for HTTP per module. Each name is
 * checked to be one plain token (see nats-names).
 */
export const subjects = {
  facade: (namespace: string, module: string, facade: string): string => facadeSubject(namespace, module, facade),
  facadeMethod: (namespace: string, module: string, facade: string, method: string): string => facadeMethodSubject(namespace, module, facade, method),
  http: (namespace: string, module: string): string => httpSubject(namespace, module),
};

/** The environment variable that lets a process use a broker without a credential (development only). */
export const BROKER_INSECURE_ENV = 'MODULITH_BROKER_INSECURE';

/** How to name the credential in messages: the variables topologyFromEnv reads. */
export const CREDENTIAL_VARIABLES = 'MODULITH_BROKER_TOKEN, MODULITH_BROKER_USER + MODULITH_BROKER_PASSWORD, MODULITH_BROKER_NKEY_SEED or MODULITH_BROKER_CREDS';

/** Which credential the options carry, or undefined. */
export function brokerCredentialKind(options: Pick<BrokerOptions, 'url' | 'token' | 'user' | 'password' | 'nkeySeed' | 'credsFile'>): 'token' | 'user' | 'nkey' | 'creds' | 'url' | undefined {
  if (options.nkeySeed) return 'nkey';
  if (options.credsFile) return 'creds';
  if (options.token) return 'token';
  if (options.user) return 'user';
  // nats://user:pass@host or nats://token@host
  if (/\/\/[^@/\s]+@/.test(options.url ?? '')) return 'url';
  return undefined;
}

/**
 * A process whose topology uses a broker must hold a credential, unless it opts into running
 * without one (`insecure`, or MODULITH_BROKER_INSECURE=1 in `env`). Throws, naming the variables,
 * when it has neither or when the credential is incomplete; returns whether it runs insecure.
 */
export function requireBrokerCredential(options: BrokerOptions, where: string, env: NodeJS.ProcessEnv = process.env): { insecure: boolean } {
  const insecure = options.insecure === true || insecureFlag(env);
  if (options.user && !options.password) {
    throw new Error(`${where}: the broker user '${options.user}' has no password; set MODULITH_BROKER_PASSWORD`);
  }
  if (options.password && !options.user) throw new Error(`${where}: a broker password without a user; set MODULITH_BROKER_USER`);
  try {
    // Malformed credentials fail here, at startup, without echoing the secret.
    if (options.nkeySeed) nkeyAuthenticator(options.nkeySeed);
    else if (options.credsFile) credsAuthenticator(options.credsFile);
  } catch (error) {
    throw new Error(`${where}: ${options.nkeySeed ? 'MODULITH_BROKER_NKEY_SEED' : 'MODULITH_BROKER_CREDS'}: ${(error as Error).message}`);
  }
  if (brokerCredentialKind(options)) return { insecure: false };
  if (insecure) return { insecure: true };
  throw new Error(
    `${where}: this process uses the broker at ${printableUrl(options)} but has no credential, so any client of that broker could call its facades. ` +
      `Set ${CREDENTIAL_VARIABLES} (\`modulith broker-config\` writes one least-privilege credential per process), ` +
      `or set ${BROKER_INSECURE_ENV}=1 to run without one on a development machine`,
  );
}

/** The startup warning of a process that uses the broker without a credential. */
export function insecureBrokerWarning(options: BrokerOptions, what: string): string {
  return `${BROKER_INSECURE_ENV}: ${what} uses the broker at ${printableUrl(options)} without a credential. Any client that can reach that broker can call this process's facades and read or forge its messages. Development only: set ${CREDENTIAL_VARIABLES} in production.`;
}

/** MODULITH_BROKER_INSECURE: 1/true or 0/false/unset; anything else throws, naming it. */
export function insecureFlag(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = (env[BROKER_INSECURE_ENV] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`${BROKER_INSECURE_ENV} must be 1, true, 0 or false (got '${env[BROKER_INSECURE_ENV]}')`);
}

function credsAuthenticator(path: string): ReturnType<typeof nkeyAuthenticator> {
  const { jwt, seed } = readCredsFile(path);
  return nkeyAuthenticator(seed, jwt);
}

/** The URL without its password or token, for messages and logs. */
export function printableUrl(broker: BrokerOptions): string {
  return broker.url.replace(/\/\/[^@/]*@/g, '//***@');
}
