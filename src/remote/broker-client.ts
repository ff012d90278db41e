import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { ClientNats } from '@nestjs/microservices';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { importOptionalPeer } from '../core/index.js';
import { natsConnectOptions, printableUrl, type BrokerOptions } from './broker-options.js';
import { CONTRACT_HEADER, type ContractBook } from './contract-skew.js';
import { RECONNECT_PAUSE_MS, WakeableSleep } from './wakeable-sleep.js';
import { currentModule, injectTraceContext } from '../observability/index.js';
import { outgoingTraceHeaders } from './trace-headers.js';
import { decodeWire } from './wire-codec.js';
import { RemoteCallTimeoutError, RemoteModuleUnavailableError } from './wire-error.js';

/**
 * The calling side of the broker: one NATS connection (through @nestjs/microservices' ClientNats)
 * and request/reply in Nest's packet format, which the other process's ServerNats answers.
 *
 * It uses the connection's own request() rather than ClientProxy.send() for one reason: NATS
 * answers "no responders" at once when no process subscribes, so a stopped module is a fast 503
 * instead of a call that hangs until its timeout.
 */
export class BrokerClient {
  private readonly logger = new Logger('BrokerClient');
  private client: ClientNats | undefined;
  private connection: NatsConnection | undefined;
  private connected = false;
  private lastError: string | undefined;
  private started: Promise<void> | undefined;
  private closed = false;
  private readonly pause = new WakeableSleep();
  private makeHeaders: (() => MsgHdrs) | undefined;
  /**
   * Header objects without a trace context, by contract value and caller module, built once each
   * (a contract value changes only when a serving contract is accepted; callers are modules).
   */
  private readonly staticHeaders = new Map<string, MsgHdrs>();

  /**
   * `contracts`: the facade contracts this process was built with (its modules' module.api.md),
   * whose fingerprints its calls carry; without them, calls carry none and skew goes undetected.
   */
  constructor(
    readonly options: BrokerOptions,
    readonly contracts?: ContractBook,
  ) {}

  /** Starts connecting in the background; resolves once connected (reconnects are automatic), or closed. */
  start(): Promise<void> {
    this.started ??= this.connectUntilClosed();
    return this.started;
  }

  private async connectUntilClosed(): Promise<void> {
    const client = await this.load();
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await client.connect();
        this.connection = client.unwrap<NatsConnection>();
        this.connected = true;
        void this.watch(this.connection);
        return;
      } catch (error) {
        this.lastError = (error as Error)?.message ?? String(error);
        if (attempt === 1 && !this.closed) this.logger.error(`cannot connect to the broker at ${printableUrl(this.options)}: ${this.lastError} (retrying)`);
        await this.pause.sleep(RECONNECT_PAUSE_MS);
      }
    }
  }

  /**
   * Loads the NATS client packages (here, not at import: an app without a broker never needs
   * them). Rejects with MissingPeerError naming the package to install.
   */
  async load(): Promise<ClientNats> {
    this.client ??= await createNestNatsClient(this.options);
    this.makeHeaders ??= (await importOptionalPeer<typeof import('@nats-io/transport-node')>('@nats-io/transport-node', BROKER_FEATURE)).headers;
    return this.client;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /**
   * Sends `data` to `subject` and returns the handler's response. Throws
   * RemoteModuleUnavailableError when the broker is down or nobody serves the subject, and
   * RemoteCallTimeoutError when the answer takes longer than the timeout. `contract` is the value
   * of the Modulith-Contract header (see contract-skew.ts), if the call carries one. Every request
   * also carries the active trace context and the calling module (see trace-headers.ts).
   */
  async request(module: string, subject: string, data: unknown, call: string, contract?: string): Promise<unknown> {
    const connection = this.connection;
    if (!connection || !this.connected) {
      void this.start();
      const why = this.lastError ? ` (${this.lastError})` : '';
      throw new RemoteModuleUnavailableError(module, `the broker at ${printableUrl(this.options)} is not connected${why}`);
    }
    const packet = JSON.stringify({ pattern: subject, data, id: randomUUID() });
    let reply;
    try {
      const headers = this.requestHeaders(contract);
      reply = await connection.request(subject, packet, headers ? { timeout: this.options.timeoutMs, headers } : { timeout: this.options.timeoutMs });
    } catch (error) {
      throw this.requestError(error, module, call, subject);
    }
    // Decoded like a request on the serving side: no key of the reply reaches a prototype.
    const message = decodeWire(reply.string(), `${call} reply`) as { err?: unknown; response?: unknown };
    if (message.err !== undefined && message.err !== null) {
      throw new RemoteModuleUnavailableError(module, `the serving process refused ${call}: ${JSON.stringify(message.err)}`);
    }
    return message.response;
  }

  private requestHeaders(contract: string | undefined): MsgHdrs | undefined {
    if (!this.makeHeaders) return undefined;
    const caller = currentModule();
    const carrier = injectTraceContext();
    // With a trace context the headers differ per call; without one (no SDK) they repeat, and are reused.
    const traced = Object.keys(carrier).length > 0;
    const key = `${contract ?? ''}\n${caller}`;
    let headers = traced ? undefined : this.staticHeaders.get(key);
    if (!headers) {
      headers = this.makeHeaders();
      for (const [name, value] of Object.entries(outgoingTraceHeaders(caller, carrier))) headers.set(name, value);
      if (contract !== undefined) headers.set(CONTRACT_HEADER, contract);
      if (!traced) {
        // Bounded: a value per method, accepted serving version and caller; a pathological rollout only rebuilds them.
        if (this.staticHeaders.size >= 1024) this.staticHeaders.clear();
        this.staticHeaders.set(key, headers);
      }
    }
    return headers;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connected = false;
    this.pause.wake();
    await this.client?.close();
  }

  private requestError(error: unknown, module: string, call: string, subject: string): Error {
    const name = (error as Error)?.name ?? '';
    const cause = (error as { cause?: Error })?.cause;
    if (name === 'PermissionViolationError' || cause?.name === 'PermissionViolationError' || /Permissions Violation/i.test((error as Error)?.message ?? '')) {
      // The broker's authorization (least privilege from the module graph) does not let this
      // process call it: a deployment problem, answered at once rather than by a timeout.
      return new RemoteModuleUnavailableError(
        module,
        `the broker refused ${call}: this process's credential may not publish to ${subject}. If its code is meant to call it, declare the dependency in module.json and regenerate the broker authorization (modulith broker-config)`,
      );
    }
    const noResponders =
      name === 'NoRespondersError' ||
      (typeof (error as { isNoResponders?: unknown })?.isNoResponders === 'function' && (error as { isNoResponders(): boolean }).isNoResponders());
    if (noResponders) return new RemoteModuleUnavailableError(module, `no process serves it (${call}); start one with MODULITH_SERVE=${module}`);
    if (name === 'TimeoutError') return new RemoteCallTimeoutError(module, call, this.options.timeoutMs);
    return new RemoteModuleUnavailableError(module, `${call} failed on the broker: ${(error as Error)?.message ?? String(error)}`);
  }

  /** Follows the connection's status so calls fail fast while the broker is away. */
  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') this.connected = false;
      if (status.type === 'reconnect') this.connected = true;
    }
    this.connected = false;
  }
}

const BROKER_FEATURE = 'a topology with a broker (MODULITH_SERVE / MODULITH_REMOTE)';

/** Nest's NATS client; @nestjs/microservices and @nats-io/transport-node are optional peers. */
export async function createNestNatsClient(options: BrokerOptions): Promise<ClientNats> {
  await importOptionalPeer('@nats-io/transport-node', BROKER_FEATURE);
  const { ClientNats } = await importOptionalPeer<typeof import('@nestjs/microservices')>('@nestjs/microservices', BROKER_FEATURE);
  return new ClientNats(natsConnectOptions(options) as ConstructorParameters<typeof ClientNats>[0]);
}
