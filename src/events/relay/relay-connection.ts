import { Logger } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { insecureBrokerWarning, natsConnectOptions, requireBrokerCredential, WakeableSleep } from '../../remote/index.js';
import { ensureConsumer, ensureStream } from './jetstream-setup.js';
import { loadNatsPackages } from './nats-packages.js';
import type { RelayNames } from './relay-names.js';
import { relayBrokerOptions, type EventRelayOptions } from './relay-options.js';

export interface RelayLink {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

export interface RelayHooks {
  /** A new connection is up with stream and consumer in place. */
  connected(link: RelayLink): Promise<void>;
  /** The client reconnected on its own (the broker restarted, the network came back). */
  reconnected(link: RelayLink): Promise<void>;
  /** The connection is gone for good (closed by us, or given up). */
  lost(): Promise<void>;
}

const DEFAULT_STREAM_MAX_AGE_MS = 7 * 24 * 3600_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * The NATS connection of the relay. Connecting never blocks bootstrap: while the broker is
 * unreachable it keeps trying in the background (events wait in the outbox meanwhile). Once
 * connected the client reconnects by itself, for ever; `current` is undefined while it is down,
 * so a relay attempt fails fast and is retried by the outbox.
 */
export class RelayConnection {
  private readonly logger = new Logger('ModulithEvents');
  private link?: RelayLink;
  /** The connection being set up or in use, so `close` can end it at any stage. */
  private nc?: NatsConnection;
  private up = false;
  private stopped = true;
  private loop?: Promise<void>;
  private readonly pause = new WakeableSleep();

  constructor(
    private readonly options: EventRelayOptions,
    private readonly names: RelayNames,
  ) {}

  /** The connection when it is up and set up, else undefined. */
  get current(): RelayLink | undefined {
    return this.up ? this.link : undefined;
  }

  start(hooks: RelayHooks): void {
    if (!this.stopped) return;
    const broker = relayBrokerOptions(this.options);
    if (requireBrokerCredential(broker, 'ModulithEventsModule.forRoot({ relay })').insecure) {
      this.logger.warn(insecureBrokerWarning(broker, `the event relay of '${this.options.origin}'`));
    }
    this.stopped = false;
    this.loop = this.run(hooks);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    await this.nc?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(hooks: RelayHooks): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let nc: NatsConnection | undefined;
      try {
        const { transport, jetstream } = await loadNatsPackages();
        nc = this.nc = await transport.connect({
          // The same servers, credential and reconnect policy as the facade connections.
          ...natsConnectOptions(relayBrokerOptions(this.options)),
          reconnectTimeWait: 1000,
          timeout: 5000,
        });
        if (this.stopped) break;
        const jsm = await this.setUp(nc);
        if (this.stopped) break;
        this.link = { nc, js: jetstream.jetstream(nc), jsm };
        this.up = true;
        if (failures > 0) this.logger.log(`relay connected to NATS at ${this.options.servers}`);
        failures = 0;
        await hooks.connected(this.link);
        await this.watch(this.link, hooks);
      } catch (error) {
        failures++;
        // The first failure and then every 20th: an outage must be visible without flooding the log.
        if (failures % 20 === 1) {
          this.logger.warn(`relay cannot use NATS at ${this.options.servers} (attempt ${failures}, retrying in the background): ${describe(error)}`);
        }
      } finally {
        this.up = false;
        await nc?.close().catch(() => undefined);
        this.nc = undefined;
        if (this.link) await hooks.lost().catch((error) => this.logger.error(`relay: stopping the consumer failed: ${describe(error)}`));
        this.link = undefined;
      }
      if (!this.stopped) await this.pause.sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures, 10)));
    }
  }

  private async setUp(nc: NatsConnection): Promise<JetStreamManager> {
    let jsm: JetStreamManager;
    try {
      jsm = await (await loadNatsPackages()).jetstream.jetstreamManager(nc);
    } catch (error) {
      throw new Error(`JetStream is not available (start nats-server with -js): ${describe(error)}`);
    }
    await ensureStream(jsm, this.names, this.options.streamMaxAgeMs ?? DEFAULT_STREAM_MAX_AGE_MS);
    await ensureConsumer(jsm, this.names);
    return jsm;
  }

  /** Follows the client's own reconnects until the connection closes. */
  private async watch(link: RelayLink, hooks: RelayHooks): Promise<void> {
    const statuses = (async () => {
      for await (const status of link.nc.status()) {
        if (status.type === 'disconnect') this.up = false;
        if (status.type === 'reconnect') {
          try {
            // The broker may have come back empty (a new server without our stream).
            await this.setUp(link.nc);
            this.up = true;
            await hooks.reconnected(link);
          } catch (error) {
            this.logger.warn(`relay reconnected to NATS but cannot set up the stream: ${describe(error)}; reconnecting`);
            await link.nc.close();
          }
        }
      }
    })().catch(() => undefined);
    await link.nc.closed();
    this.up = false;
    await statuses;
  }

}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
