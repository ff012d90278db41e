import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENTS_OPTIONS, type ResolvedEventsOptions } from '../events-options.js';
import { ListenerRegistry } from '../listener-registry.js';
import { OutboxDispatcher } from '../outbox-dispatcher.js';
import { OutboxStore } from '../outbox-store.js';
import { RelayConnection } from './relay-connection.js';
import { RelayConsumer } from './relay-consumer.js';
import { RELAY_LISTENER_ID } from './relay-names.js';

/**
 * The relay's lifecycle in the app: connect at bootstrap (in the background, never blocking
 * boot), consume other groups' events while connected (when this process dispatches), resume
 * waiting relay deliveries whenever the connection comes (back), close on shutdown before the
 * database does.
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private closing = false;
  private readonly logger = new Logger('EventRelay');

  constructor(
    @Inject(RelayConnection) private readonly connection: RelayConnection,
    @Inject(RelayConsumer) private readonly consumer: RelayConsumer,
    @Inject(OutboxStore) private readonly store: OutboxStore,
    @Inject(OutboxDispatcher) private readonly dispatcher: OutboxDispatcher,
    @Inject(ListenerRegistry) private readonly registry: ListenerRegistry,
    @Inject(EVENTS_OPTIONS) private readonly options: ResolvedEventsOptions,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  onApplicationBootstrap(): void {
    this.registry.onApplicationBootstrap();
    if (this.registry.get(RELAY_LISTENER_ID)) {
      throw new Error(`nest-modulith: the listener id '${RELAY_LISTENER_ID}' is reserved for the event relay; give that @OnModuleEvent another id`);
    }
    this.connection.start({
      connected: async (link) => {
        if (this.closing) return;
        if (this.options.dispatch) await this.consumer.start(link);
        await this.resume();
        this.markReady();
      },
      reconnected: () => this.resume(),
      lost: () => this.consumer.stop(),
    });
  }

  async onModuleDestroy(): Promise<void> {
    // Consumer first, while the connection can still carry the acks of messages in hand. Each
    // step waits at most shutdownGraceMs: closing must never hang on the broker (a pull that does
    // not end, a reconnect loop); what was in hand is redelivered, unacked, to the next start.
    this.closing = true;
    await this.withinGrace(this.consumer.stop(), 'stopping the relay consumer');
    await this.withinGrace(this.connection.close(), 'closing the relay connection');
  }

  private async withinGrace(step: Promise<void>, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const over = new Promise<'over'>((resolve) => (timer = setTimeout(() => resolve('over'), this.options.shutdownGraceMs)));
    try {
      if ((await Promise.race([step.then(() => 'done' as const), over])) === 'over') {
        this.logger.warn(`${what} took longer than ${this.options.shutdownGraceMs} ms; closing without it (unacknowledged events are redelivered)`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether NATS is connected right now (relay deliveries wait in the outbox otherwise). */
  get connected(): boolean {
    return this.connection.current !== undefined;
  }

  /** Resolves once the relay has connected for the first time, with stream and consumer set up. */
  whenConnected(): Promise<void> {
    return this.ready;
  }

  /** Relay deliveries waiting out a backoff from the outage are due now. */
  private async resume(): Promise<void> {
    if ((await this.store.makeDue(RELAY_LISTENER_ID, Date.now())) > 0) this.dispatcher.wake();
  }
}
