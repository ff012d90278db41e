import { Logger } from '@nestjs/common';
import { ServerNats } from '@nestjs/microservices';
// This file is loaded only through loadBrokerServer() (remote/index.ts): @nestjs/microservices is
// an optional peer, needed only by a process whose topology has a broker.
import { natsConnectOptions, printableUrl, subjects, type BrokerOptions } from './broker-options.js';
import { facadeCallHandler, type ServedFacade } from './facade-server.js';
import type { HttpRequestHandler } from './http-gateway.js';
import { RECONNECT_PAUSE_MS, WakeableSleep } from './wakeable-sleep.js';

/** Nest's NATS server, narrowed to the subjects the framework builds itself. */
class FacadeServerNats extends ServerNats {
  // Our subjects are plain strings: skip Nest's attempt to JSON.parse each one (a throw and a
  // catch per message, about a third of the serving side's CPU per call).
  override getHandlerByPattern(pattern: string): ReturnType<ServerNats['getHandlerByPattern']> {
    return this.messageHandlers.get(pattern) ?? null;
  }

  // Facade and HTTP calls are requests: a packet without a reply id (a Nest "event") runs nothing.
  override async handleEvent(): Promise<void> {}
}

/**
 * The serving side of the broker: a @nestjs/microservices NATS server answering the facades of
 * the modules this process hosts (and their HTTP routes, for the gateway). Instances of the same
 * module share a queue group, so each call reaches exactly one of them.
 */
export class BrokerServer {
  private readonly logger = new Logger('BrokerServer');
  private readonly server: ServerNats;
  private listening: Promise<void> | undefined;
  private closed = false;
  private readonly pause = new WakeableSleep();

  constructor(private readonly options: BrokerOptions) {
    this.server = new FacadeServerNats({ ...natsConnectOptions(options), queue: `${options.namespace}.servers` } as ConstructorParameters<typeof ServerNats>[0]);
  }

  serveFacade(served: ServedFacade): void {
    const handler = facadeCallHandler(served);
    this.server.addHandler(subjects.facade(this.options.namespace, served.module, served.facade.name), handler, false);
  }

  serveHttp(module: string, handler: HttpRequestHandler): void {
    this.server.addHandler(subjects.http(this.options.namespace, module), handler, false);
  }

  /** Connects and subscribes, retrying while the broker is away; resolves once subscribed (or closed). */
  listen(): Promise<void> {
    this.listening ??= this.listenUntilClosed();
    return this.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pause.wake();
    await this.server.close();
  }

  private async listenUntilClosed(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      const error = await new Promise<unknown>((resolve) => this.server.listen((failure?: unknown) => resolve(failure)));
      if (!error) {
        // Closed while the attempt was under way: the connection it opened must not outlive us.
        if (this.closed) await this.server.close();
        return;
      }
      if (attempt === 1 && !this.closed) this.logger.error(`cannot serve on the broker at ${printableUrl(this.options)}: ${(error as Error)?.message ?? error} (retrying)`);
      await this.pause.sleep(RECONNECT_PAUSE_MS);
    }
  }
}
