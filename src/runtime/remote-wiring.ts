import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { BrokerClient, brokerCredentialKind, insecureBrokerWarning, loadBrokerServer, LoopbackReplayer, type BrokerServer, printableUrl, type BrokerOptions } from '../remote/index.js';
import type { PlacedModule } from './module-placement.js';

export const PLACEMENT = Symbol('nest-modulith:placement');

/** How long boot waits for the broker before going on (calls fail fast with 503 until it is there). */
const CONNECT_WAIT_MS = 5_000;

/**
 * Joins this process to the broker when the topology has one: starts the client that remote
 * facades use, and serves the facades and HTTP routes of the modules hosted here.
 */
export class RemoteWiring implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Modulith');
  private server: BrokerServer | undefined;
  private readonly replayers: LoopbackReplayer[] = [];

  constructor(
    @Inject(BrokerClient) private readonly client: BrokerClient,
    @Inject(PLACEMENT) private readonly placement: PlacedModule[],
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.client.options.insecure && !brokerCredentialKind(this.client.options)) {
      this.logger.warn(insecureBrokerWarning(this.client.options, 'this process'));
    }
    for (const { module, hosted, reason, level } of this.client.contracts?.unchecked ?? []) {
      const what = hosted ? `callers of module '${module}' (served here)` : `module '${module}' (called in another process)`;
      const message = `contract skew with ${what} cannot be detected: ${reason}`;
      if (level === 'warn') this.logger.warn(message);
      else this.logger.debug(message);
    }
    // Fails boot here, naming the package to install, when the app has no NATS client.
    await this.client.load();
    void this.client.start();
  }

  async onApplicationBootstrap(): Promise<void> {
    const options: BrokerOptions = this.client.options;
    const server = new (await loadBrokerServer())(options);
    this.server = server;
    for (const module of this.placement.filter((m) => m.hosted)) {
      for (const facade of module.facades) {
        server.serveFacade({
          module: module.name,
          facade,
          instance: this.moduleRef.get(facade, { strict: false }) as object,
          contract: this.client.contracts?.get(module.name, facade.name),
        });
      }
      const adapter = this.http.httpAdapter;
      if (module.hasRoutes && adapter) {
        const replayer = new LoopbackReplayer(() => adapter.getInstance());
        this.replayers.push(replayer);
        server.serveHttp(module.name, replayer.handle);
      }
    }
    const hosted = this.placement.filter((m) => m.hosted).map((m) => m.name);
    const remote = this.placement.filter((m) => !m.hosted).map((m) => m.name);
    const ready = await settlesWithin(Promise.all([server.listen(), this.client.start()]), CONNECT_WAIT_MS);
    // (Both retry until connected or closed, so neither rejects: `ready` means both are connected.)
    const where = printableUrl(options);
    if (ready) this.logger.log(`serving ${hosted.join(', ') || 'no modules'} on ${where}; reaching ${remote.join(', ') || 'no modules'} remotely`);
    else this.logger.warn(`the broker at ${where} is not reachable yet; remote calls answer 503 until it is (still trying)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.server?.close(), this.client.close(), ...this.replayers.map((r) => r.close())]);
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
