import { Logger } from '@nestjs/common';
import { ServerNats } from '@nestjs/microservices';
import { natsConnectOptions, printableUrl, subjects, type BrokerOptions } from './broker-options.js';
import { facadeCallHandler, type ServedFacade } from './facade-server.js';
import type { HttpRequestHandler } from './http-gateway.js';

/**
 * The serving side of the broker: a @nestjs/microservices NATS server answering the facades of
 * the modules this process hosts (and their HTTP routes, for the gateway). Instances of the same
 * module share a queue group, so each call reaches exactly one of them.
 */
export class BrokerServer {
  private readonly logger = new Logger('BrokerServer');
  private readonly server: ServerNats;
  private listening: Promise<void> | undefined;

  constructor(private readonly options: BrokerOptions) {
    this.server = new ServerNats({ ...natsConnectOptions(options), queue: `${options.namespace}.servers` } as ConstructorParameters<typeof ServerNats>[0]);
  }

  serveFacade(served: ServedFacade): void {
    const handler = facadeCallHandler(served);
    this.server.addHandler(subjects.facade(this.options.namespace, served.module, served.facade.name), handler, false);
  }

  serveHttp(module: string, handler: HttpRequestHandler): void {
    this.server.addHandler(subjects.http(this.options.namespace, module), handler, false);
  }

  /** Connects and subscribes; resolves once subscribed (or rejects on a refused connection). */
  listen(): Promise<void> {
    this.listening ??= new Promise<void>((resolve, reject) => {
      this.server.listen((error?: unknown) => {
        if (error) {
          this.logger.error(`cannot serve on the broker at ${printableUrl(this.options)}: ${(error as Error)?.message ?? error}`);
          reject(error);
        } else resolve();
      });
    });
    return this.listening;
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}
