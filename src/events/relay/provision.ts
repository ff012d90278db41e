import { natsConnectOptions, printableUrl, relayNames, type BrokerOptions } from '../../remote/index.js';
import { ensureConsumer, ensureStream } from './jetstream-setup.js';
import { loadNatsPackages } from './nats-packages.js';
import { describe } from './relay-connection.js';

export interface ProvisionRelayOptions {
  /** The broker and the provisioning credential (never an app process's own). */
  broker: BrokerOptions;
  /** The origin of every process group (`serve:media`, `remote:media`, ...): one durable consumer each. */
  origins: string[];
  /** As the apps' relay option (default 7 days): the stream is created with it. */
  streamMaxAgeMs?: number;
}

export interface ProvisionedRelay {
  stream: string;
  consumers: string[];
}

const DEFAULT_STREAM_MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * Creates (or aligns) the namespace's event stream and one durable consumer per origin, as each
 * relay would at startup. For brokers whose authorization comes from `modulith broker-config`:
 * there the app processes may only read their own consumer, and this runs once with the
 * provisioning credential (after a new placement, or a wiped JetStream store).
 */
export async function provisionEventRelay(options: ProvisionRelayOptions): Promise<ProvisionedRelay> {
  const { transport, jetstream } = await loadNatsPackages();
  let nc;
  try {
    nc = await transport.connect({ ...natsConnectOptions(options.broker), reconnect: false, timeout: 5000 });
  } catch (error) {
    throw new Error(`cannot connect to the broker at ${printableUrl(options.broker)}: ${describe(error)}`);
  }
  try {
    const jsm = await jetstream.jetstreamManager(nc);
    const consumers: string[] = [];
    let stream = '';
    for (const origin of options.origins) {
      const names = relayNames(options.broker.namespace, origin);
      if (!stream) {
        await ensureStream(jsm, names, options.streamMaxAgeMs ?? DEFAULT_STREAM_MAX_AGE_MS);
        stream = names.stream;
      }
      await ensureConsumer(jsm, names);
      consumers.push(names.durable);
    }
    return { stream, consumers };
  } finally {
    await nc.close().catch(() => undefined);
  }
}
