import { BROKER_INSECURE_ENV, DEFAULT_BROKER_URL, insecureFlag, placementKey, type BrokerOptions } from '../remote/index.js';

/**
 * Where each feature module runs. One build artifact, placed by configuration:
 * - nothing set: every module in this process, no broker;
 * - `serve`: this process hosts only these modules and reaches every other one over the broker;
 * - `remote`: this process hosts every module but these, and reaches these over the broker.
 * Every process serves the facades (and HTTP routes) of the modules it hosts on the broker.
 */
export interface Topology {
  serve?: string[];
  remote?: string[];
  /** Required when serve or remote is set; topologyFromEnv fills in the defaults. */
  broker?: BrokerOptions;
  /** Round-trip every in-process facade call through the wire codec (see strictFacade). */
  strict?: boolean;
}

/** The environment variables of the topology, read here and nowhere else. */
export const TOPOLOGY_ENV = {
  serve: 'MODULITH_SERVE',
  remote: 'MODULITH_REMOTE',
  url: 'MODULITH_BROKER_URL',
  token: 'MODULITH_BROKER_TOKEN',
  user: 'MODULITH_BROKER_USER',
  password: 'MODULITH_BROKER_PASSWORD',
  nkeySeed: 'MODULITH_BROKER_NKEY_SEED',
  creds: 'MODULITH_BROKER_CREDS',
  insecure: BROKER_INSECURE_ENV,
  namespace: 'MODULITH_NAMESPACE',
  timeout: 'MODULITH_CALL_TIMEOUT_MS',
  strict: 'MODULITH_STRICT',
} as const;

/**
 * Reads MODULITH_SERVE / MODULITH_REMOTE (comma-separated module names), MODULITH_BROKER_URL
 * (default nats://127.0.0.1:4222), the credential (MODULITH_BROKER_TOKEN, MODULITH_BROKER_USER +
 * MODULITH_BROKER_PASSWORD, MODULITH_BROKER_NKEY_SEED or MODULITH_BROKER_CREDS, a .creds file),
 * MODULITH_BROKER_INSECURE (1: no credential, development only), MODULITH_NAMESPACE (default
 * modulith), MODULITH_CALL_TIMEOUT_MS (default 5000) and MODULITH_STRICT (1/true). A malformed
 * value throws, naming the variable. A topology with a broker but no credential is refused by
 * ModulithModule.forRoot, unless MODULITH_BROKER_INSECURE=1.
 */
export function topologyFromEnv(env: NodeJS.ProcessEnv = process.env): Topology {
  const serve = list(env[TOPOLOGY_ENV.serve]);
  const remote = list(env[TOPOLOGY_ENV.remote]);
  if (serve && remote) {
    throw new Error(`${TOPOLOGY_ENV.serve} and ${TOPOLOGY_ENV.remote} are both set: set ${TOPOLOGY_ENV.serve} in the extracted service and ${TOPOLOGY_ENV.remote} in the monolith, never both in one process`);
  }
  const namespace = env[TOPOLOGY_ENV.namespace] || 'modulith';
  // One lowercase token: it prefixes NATS subjects, JetStream stream and consumer names.
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(namespace)) throw new Error(`${TOPOLOGY_ENV.namespace} must be lowercase letters, digits, '-' or '_' (got '${namespace}')`);
  const timeout = env[TOPOLOGY_ENV.timeout] || '5000';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1) throw new Error(`${TOPOLOGY_ENV.timeout} must be a whole number of milliseconds above 0 (got '${timeout}')`);
  const url = env[TOPOLOGY_ENV.url] || DEFAULT_BROKER_URL;
  if (!/^(nats|tls|wss?):\/\//.test(url)) throw new Error(`${TOPOLOGY_ENV.url} must be a nats:// URL (got '${url}')`);
  if (env[TOPOLOGY_ENV.user] && env[TOPOLOGY_ENV.token]) throw new Error(`set ${TOPOLOGY_ENV.token} or ${TOPOLOGY_ENV.user}/${TOPOLOGY_ENV.password}, not both`);
  const credentials = [TOPOLOGY_ENV.token, TOPOLOGY_ENV.user, TOPOLOGY_ENV.nkeySeed, TOPOLOGY_ENV.creds].filter((name) => env[name]);
  if (credentials.length > 1) throw new Error(`set one broker credential, not ${credentials.join(' and ')}`);
  const insecure = insecureFlag(env);
  const broker: BrokerOptions | undefined =
    serve || remote
      ? {
          url,
          namespace,
          timeoutMs: Number(timeout),
          ...(env[TOPOLOGY_ENV.token] ? { token: env[TOPOLOGY_ENV.token] } : {}),
          ...(env[TOPOLOGY_ENV.user] ? { user: env[TOPOLOGY_ENV.user], password: env[TOPOLOGY_ENV.password] ?? '' } : {}),
          ...(env[TOPOLOGY_ENV.nkeySeed] ? { nkeySeed: env[TOPOLOGY_ENV.nkeySeed] } : {}),
          ...(env[TOPOLOGY_ENV.creds] ? { credsFile: env[TOPOLOGY_ENV.creds] } : {}),
          ...(insecure ? { insecure } : {}),
        }
      : undefined;
  return {
    ...(serve ? { serve } : {}),
    ...(remote ? { remote } : {}),
    ...(broker ? { broker } : {}),
    strict: flag(env, TOPOLOGY_ENV.strict),
  };
}

/** A short name of this process's place in the topology, the same for every instance of it: `monolith`, `serve:media`, `remote:media`. */
export function topologyKey(topology: Topology): string {
  return placementKey(topology);
}

/** Does this process host the module? */
export function isHosted(topology: Topology, module: string): boolean {
  if (topology.serve) return topology.serve.includes(module);
  if (topology.remote) return !topology.remote.includes(module);
  return true;
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return [...new Set(raw.split(',').map((name) => name.trim()).filter(Boolean))];
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`${name} must be 1, true, 0 or false (got '${env[name]}')`);
}
