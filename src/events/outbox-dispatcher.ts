import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WakeableSleep } from '../remote/index.js';
import { context } from '@opentelemetry/api';
import { extractTraceContext } from '../observability/index.js';
import { decodeEvent } from './event-codec.js';
import { countDelivery, observeOutbox, traceDelivery, type DeliveryOutcome } from './event-telemetry.js';
import { backoffDelay, EVENTS_OPTIONS, type ResolvedEventsOptions } from './events-options.js';
import { ListenerRegistry, type RegisteredListener } from './listener-registry.js';
import { OUTBOX_SINKS, type OutboxSink } from './outbox-sink.js';
import { OutboxStore, type ClaimedDelivery } from './outbox-store.js';

const PURGE_EVERY_MS = 60_000;

/**
 * Delivers due outbox rows to their listeners: claim a batch (a lease), run the listeners with
 * bounded concurrency, complete the successes in one statement, reschedule or fail the rest.
 * Woken at once by a commit that published events; polls otherwise, which also picks up
 * deliveries left behind by a crash and retries whose backoff has passed.
 *
 * It stops in onModuleDestroy, before any onApplicationShutdown: TypeORM closes its DataSource in
 * onApplicationShutdown, and a listener still running then fails on a closed pool, or waits for a
 * pooled connection forever (an ending pg pool never serves its queue), so close() never returns.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ModulithEvents');
  private running = false;
  private loop?: Promise<void>;
  private readonly idle = new WakeableSleep();
  private woken = false;
  private lastPurge = Date.now();
  private readonly sinks: Map<string, OutboxSink>;
  /** Deliveries being run right now (id -> listener id), named when shutdown has to leave them. */
  private readonly inFlight = new Map<string, string>();
  /** Unregisters the outbox gauges (registered at bootstrap, once per dispatcher). */
  private unobserve?: () => void;

  constructor(
    @Inject(OutboxStore) private readonly store: OutboxStore,
    @Inject(ListenerRegistry) private readonly registry: ListenerRegistry,
    @Inject(EVENTS_OPTIONS) private readonly options: ResolvedEventsOptions,
    @Inject(OUTBOX_SINKS) sinks: OutboxSink[],
  ) {
    this.sinks = new Map(sinks.map((sink) => [sink.id, sink]));
  }

  onApplicationBootstrap(): void {
    // The registry must be complete before the first claim; Nest's hook order between
    // providers is not guaranteed, so ask it directly (it is idempotent).
    this.registry.onApplicationBootstrap();
    this.unobserve ??= observeOutbox(this.store, () => [
      ...this.registry.all().map((listener) => ({ id: listener.id, module: listener.module })),
      ...[...this.sinks.keys()].map((id) => ({ id, module: '' })),
    ]);
    if (this.options.dispatch) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unobserve?.();
    this.unobserve = undefined;
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops claiming and waits for the deliveries running now, at most shutdownGraceMs. Past that
   * it returns and leaves them: their claims run out and they are delivered again (by another
   * instance or the next start), as after a crash.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    if (!this.loop) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), this.options.shutdownGraceMs)));
    try {
      if ((await Promise.race([this.loop, graceOver])) !== 'grace-over') return;
    } finally {
      clearTimeout(timer);
    }
    const listeners = [...new Set(this.inFlight.values())].join(', ');
    const count = this.inFlight.size;
    this.logger.warn(
      `${count} ${count === 1 ? 'delivery' : 'deliveries'} still running after ${this.options.shutdownGraceMs} ms (${listeners || 'none named'}); ` +
        'stopping without them: they are delivered again once their claims run out',
    );
  }

  /** Ask for an immediate look at the outbox (called after a publishing transaction commits). */
  wake(): void {
    this.woken = true;
    this.idle.wake();
  }

  /** Processes due deliveries until none is left; returns how many were attempted. For tests, CLIs and benchmarks. */
  drain(): Promise<number> {
    return this.drainWhile(() => true);
  }

  /** As drain, claiming another batch only while `keepGoing()` (false once stop() was called). */
  private async drainWhile(keepGoing: () => boolean): Promise<number> {
    let attempted = 0;
    while (keepGoing()) {
      const batch = await this.store.claim(this.options.instanceId, Date.now(), this.options.leaseMs, this.options.batchSize);
      if (batch.length === 0) return attempted;
      attempted += batch.length;
      await this.process(batch);
    }
    return attempted;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        this.woken = false;
        const attempted = await this.drainWhile(() => this.running);
        await this.purgeIfDue();
        if (attempted === 0 && !this.woken && this.running) await this.idle.sleep(this.options.pollMs);
      } catch (error) {
        // The database may be briefly unreachable; keep the loop alive and try again later.
        this.logger.error(`dispatch failed: ${(error as Error).message}`);
        if (this.running) await this.idle.sleep(this.options.pollMs);
      }
    }
  }

  private async process(batch: ClaimedDelivery[]): Promise<void> {
    const succeeded: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const delivery = batch[next++];
        this.inFlight.set(delivery.id, delivery.listener);
        try {
          if (await this.deliver(delivery)) succeeded.push(delivery.id);
        } finally {
          this.inFlight.delete(delivery.id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, batch.length) }, worker));
    await this.store.complete(succeeded, this.options.instanceId, Date.now(), this.options.completion);
  }

  /** Runs one delivery; true on success. Failures are recorded here, never thrown. */
  private async deliver(delivery: ClaimedDelivery): Promise<boolean> {
    const sink = this.sinks.get(delivery.listener);
    if (sink) return this.deliverToSink(delivery, sink);
    const listener = this.registry.get(delivery.listener);
    if (!listener) {
      await this.store.fail(delivery.id, this.options.instanceId, `no listener '${delivery.listener}' in this app (renamed or removed? give it a stable id with @OnModuleEvent(..., { id }))`);
      countDelivery('', delivery.listener, delivery.name, 'failed');
      return false;
    }
    return (await traceDelivery(delivery, listener, (fail) => this.runListener(delivery, listener, fail))) === 'completed';
  }

  /** Decodes the event and runs the listener (inside its delivery span and module scope). */
  private async runListener(delivery: ClaimedDelivery, listener: RegisteredListener, fail: (error: unknown) => void): Promise<DeliveryOutcome> {
    let event: object;
    try {
      if (delivery.version !== listener.event.version) {
        throw new Error(`listener '${listener.id}' handles ${listener.event.name} v${listener.event.version}, the event is v${delivery.version}`);
      }
      event = decodeEvent(delivery.payload, listener.eventClass);
    } catch (error) {
      // Decoding is deterministic: retrying cannot help, so fail at once and keep going.
      fail(error);
      await this.store.fail(delivery.id, this.options.instanceId, `cannot decode event ${delivery.eventId}: ${describe(error)}`);
      return 'failed';
    }
    try {
      await listener.invoke(event, {
        eventId: delivery.eventId,
        deliveryId: delivery.id,
        eventName: delivery.name,
        eventVersion: delivery.version,
        attempt: delivery.attempts,
        publishedAt: new Date(delivery.publishedAt),
        listener: listener.id,
      });
      return 'completed';
    } catch (error) {
      fail(error);
      return this.recordFailure(delivery, listener.id, listener.options.maxAttempts ?? this.options.maxAttempts, error);
    }
  }

  private async deliverToSink(delivery: ClaimedDelivery, sink: OutboxSink): Promise<boolean> {
    let outcome: DeliveryOutcome = 'failed';
    try {
      if (!delivery.payload) {
        await this.store.fail(delivery.id, this.options.instanceId, `event ${delivery.eventId} is missing from the outbox (deleted by hand?)`);
        return false;
      }
      try {
        // The sink (the relay) runs in the event's stored trace context, to pass it on.
        await context.with(extractTraceContext(delivery.traceContext), () => sink.deliver(delivery));
        outcome = 'completed';
        return true;
      } catch (error) {
        outcome = await this.recordFailure(delivery, sink.id, sink.maxAttempts ?? this.options.maxAttempts, error);
        return false;
      }
    } finally {
      countDelivery('', sink.id, delivery.name, outcome);
    }
  }

  private async recordFailure(delivery: ClaimedDelivery, listenerId: string, maxAttempts: number, error: unknown): Promise<'failed' | 'retried'> {
    const message = describe(error);
    if (delivery.attempts >= maxAttempts) {
      this.logger.warn(`delivery ${delivery.id} of ${delivery.name} to ${listenerId} failed after ${delivery.attempts} attempts: ${message}`);
      await this.store.fail(delivery.id, this.options.instanceId, message);
      return 'failed';
    }
    await this.store.retryLater(delivery.id, this.options.instanceId, Date.now() + backoffDelay(delivery.attempts, this.options), message);
    return 'retried';
  }

  private async purgeIfDue(): Promise<void> {
    if (this.options.retentionMs <= 0 || Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.store.purgeCompleted(Date.now() - this.options.retentionMs);
  }

}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
}
