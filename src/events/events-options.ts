import type { CompletionMode } from './outbox-store.js';
import type { EventRelayOptions } from './relay/relay-options.js';

export interface EventsOptions {
  /** Name of the TypeORM DataSource holding the outbox (default: the default DataSource). */
  dataSource?: string;
  /** What happens to a completed delivery: kept (default), deleted, or moved to an archive table. */
  completion?: CompletionMode;
  /** Completed rows older than this are purged periodically (default 7 days; 0 disables). */
  retentionMs?: number;
  /** Attempts before a delivery is marked failed (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs (default 1000 ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long a claim lasts before another instance may take the delivery over (default 60 s). */
  leaseMs?: number;
  /** Deliveries claimed per round trip (default 200). */
  batchSize?: number;
  /** Listener calls running at once in this process (default 16). */
  concurrency?: number;
  /** How often to look for due deliveries when idle (default 500 ms; a publish wakes it at once). */
  pollMs?: number;
  /** Start dispatching at bootstrap (default true). Off: publish only, e.g. in a CLI. */
  dispatch?: boolean;
  /**
   * On shutdown, how long to wait for the deliveries running at that moment (default 10 s). Past
   * it the app closes without them; their claims run out and they are delivered again.
   */
  shutdownGraceMs?: number;
  /** Identifies this process in claims (default hostname:pid:random). */
  instanceId?: string;
  /**
   * Relay events to and from other processes (each with its own database) over NATS JetStream.
   * Without it events stay in this process and nothing of NATS is loaded.
   */
  relay?: EventRelayOptions;
}

export type ResolvedEventsOptions = Required<Omit<EventsOptions, 'dataSource' | 'relay'>> & { dataSource?: string };

export const EVENTS_OPTIONS = Symbol('nest-modulith:events-options');

export function resolveEventsOptions(options: EventsOptions, defaultInstanceId: string): ResolvedEventsOptions {
  return {
    dataSource: options.dataSource,
    completion: options.completion ?? 'keep',
    retentionMs: options.retentionMs ?? 7 * 24 * 3600_000,
    maxAttempts: options.maxAttempts ?? 8,
    backoffMs: options.backoffMs ?? 1000,
    maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
    leaseMs: options.leaseMs ?? 60_000,
    batchSize: options.batchSize ?? 200,
    concurrency: options.concurrency ?? 16,
    pollMs: options.pollMs ?? 500,
    dispatch: options.dispatch ?? true,
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    instanceId: options.instanceId ?? defaultInstanceId,
  };
}

/** Exponential backoff with +-20% jitter so retries from many instances do not align. */
export function backoffDelay(attempt: number, options: Pick<ResolvedEventsOptions, 'backoffMs' | 'maxBackoffMs'>, random = Math.random): number {
  const base = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
