import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventPublisher } from 'nest-modulith/events';
import { BillingFacade, ChargeExpiredError, InsufficientCreditsError } from '../billing/index.js';
import { MediaJobCompleted, MediaJobFailed } from '../media-events/index.js';
import { ImageGenerator } from './image-generator.js';
import { inJobTrace, markJobFailed } from './job-trace.js';
import { MediaJob, type MediaJobState } from './media-job.entity.js';
import { MediaJobStore } from './media-job-store.js';
import { resultPathOf } from './media-job.view.js';
import { MediaSettings } from './media.settings.js';
import { ResultStore } from './result-store.js';

export const CREDITS_PER_JOB = 1;

/** Jobs one instance works on at the same time; the rest wait in the table, for whichever instance has room. */
const CONCURRENCY = 4;
/** Claims of one job by runners before it is failed (refunded if it was charged): a job that keeps crashing its process. */
const MAX_ATTEMPTS = 10;
const DEFAULT_LEASE_MS = 30_000;
/** Charge calls one claim makes when billing answers that the previous one arrived too late. */
const CHARGE_CALLS = 3;

export type ChargeOutcome = { kind: 'charged' } | { kind: 'refused'; error: Error } | { kind: 'lost' };

/**
 * Runs jobs in the background, on any number of instances sharing the database. The table is the
 * queue: an instance claims a job by writing its name and a lease into the row (MediaJobStore),
 * renews the lease while it works, and changes the job only while it still holds it, so two
 * instances never run the same job, and a job whose instance died is taken over once its lease
 * runs out (on SQLite, one process per file, at once at startup).
 *
 * A claimed job goes on from where it is:
 * - `charging` (recorded at submission, its credit not confirmed: the submitting process died or
 *   lost billing): charged again — billing charges a job id once, so a charge that did land is
 *   not taken twice — then run; if billing refuses (not enough credits) the job fails, uncharged;
 * - `queued` or `running`: generated, then completed or failed.
 * A job's outcome is written in one transaction with its event (media.job.completed/failed)
 * through the outbox, so billing's refund and the webhook can never be lost or run for an outcome
 * that was not saved. On shutdown running generations are aborted and their claims released.
 */
@Injectable()
export class MediaJobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  /** This instance's name in the claims it writes. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly leaseMs: number;
  private readonly logger = new Logger('media');
  private readonly active = new Map<string, { done: Promise<void>; lost: AbortController }>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private renewedAt = 0;

  constructor(
    private readonly store: MediaJobStore,
    private readonly billing: BillingFacade,
    private readonly generator: ImageGenerator,
    private readonly results: ResultStore,
    private readonly events: EventPublisher,
    settings: MediaSettings,
  ) {
    this.leaseMs = settings.leaseMs || DEFAULT_LEASE_MS;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.store.usesSqlite) {
      const released = await this.store.releaseDeadClaims();
      if (released > 0) this.logger.log(`resuming ${released} job(s) left by a previous run`);
    }
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.active.values()].map((job) => job.done));
    await this.store.release(this.owner).catch((error) => this.logger.warn(`could not release media job claims: ${messageOf(error)}`));
  }

  /** Looks for work now rather than at the next poll (a job was just queued). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Charges a job this instance holds in `charging`, idempotently by job id. The claim is renewed
   * first and the charge is valid only for the first half of the lease (billing's `notAfter`):
   * nobody takes the job over before the lease runs out, by which time a call that got lost on
   * the way can no longer land. Throws what billing throws besides a refusal (e.g. unreachable):
   * the job then stays charging, and is resumed once the lease runs out.
   */
  async charge(job: MediaJob): Promise<ChargeOutcome> {
    for (let call = 1; ; call++) {
      const now = Date.now();
      const held = await this.store.renew(this.owner, [job.id], now, this.leaseMs);
      if (!held.has(job.id)) return { kind: 'lost' };
      try {
        await this.billing.charge({
          accountId: job.accountId,
          jobId: job.id,
          amount: CREDITS_PER_JOB,
          notAfter: new Date(now + Math.floor(this.leaseMs / 2)).toISOString(),
        });
        return { kind: 'charged' };
      } catch (error) {
        if (InsufficientCreditsError.is(error)) return { kind: 'refused', error: error as Error };
        if (ChargeExpiredError.is(error) && call < CHARGE_CALLS) continue;
        throw error;
      }
    }
  }

  private async run(): Promise<void> {
    const pollMs = Math.min(1_000, Math.max(20, Math.floor(this.leaseMs / 4)));
    while (!this.stopping.signal.aborted) {
      try {
        await this.renewLeases();
        const claimed = await this.store.claim(this.owner, Date.now(), this.leaseMs, CONCURRENCY - this.active.size);
        // Shutting down meanwhile: leave them (onModuleDestroy releases queued and running ones).
        if (this.stopping.signal.aborted) break;
        for (const job of claimed) this.start(job);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.logger.error(`claiming media jobs failed: ${messageOf(error)}`);
      }
      await this.sleep(pollMs);
    }
  }

  /** Every third of a lease, extends the leases of the jobs at work here; aborts those lost to another instance. */
  private async renewLeases(): Promise<void> {
    const now = Date.now();
    if (this.active.size === 0 || now - this.renewedAt < this.leaseMs / 3) return;
    this.renewedAt = now;
    const ids = [...this.active.keys()];
    const held = await this.store.renew(this.owner, ids, now, this.leaseMs);
    for (const id of ids) {
      if (held.has(id)) continue;
      this.logger.warn(`media job ${id} was taken over by another instance (lease lost); stopping work on it here`);
      this.active.get(id)?.lost.abort();
    }
  }

  private start(job: MediaJob): void {
    const lost = new AbortController();
    // In the trace of the submission (stored with the job): the charge, the outcome's event and
    // what its deliveries do, here or in other processes, join the request that submitted it.
    const done = inJobTrace(job, () => this.execute(job, lost.signal))
      .catch((error) => this.logger.error(`job ${job.id} crashed the runner: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.active.delete(job.id);
        this.wake();
      });
    this.active.set(job.id, { done, lost });
  }

  private async execute(job: MediaJob, lost: AbortSignal): Promise<void> {
    if (job.attempts > MAX_ATTEMPTS) return this.fail(job, job.status, new Error(`given up after ${MAX_ATTEMPTS} attempts`));
    let from: MediaJobState = job.status;
    if (from === 'charging') {
      const outcome = await this.charge(job).catch((error: unknown) => {
        // Leave the claim to run out: the job is charged (or refused) by whoever claims it next.
        this.logger.warn(`media job ${job.id} could not be charged yet (${messageOf(error)}); retrying after its lease`);
        return { kind: 'lost' } as const;
      });
      if (outcome.kind === 'refused') return this.fail(job, 'charging', outcome.error);
      if (outcome.kind === 'lost') return;
    }
    if (from !== 'running') {
      const startedAt = new Date();
      if (!(await this.store.move(this.owner, job.id, from, { status: 'running', startedAt }))) return;
      Object.assign(job, { status: 'running', startedAt });
      from = 'running';
    }

    let image: Uint8Array;
    try {
      image = await this.generator.generate({ prompt: job.prompt, kind: job.kind }, AbortSignal.any([this.stopping.signal, lost]));
    } catch (error) {
      // Interrupted by shutdown (the claim is released, the next start resumes it) or taken over.
      if (this.stopping.signal.aborted || lost.aborted) return;
      return this.fail(job, 'running', error);
    }
    const resultKey = `${job.id}.png`;
    try {
      await this.results.put(resultKey, image);
    } catch (error) {
      return this.fail(job, 'running', error);
    }
    const completedAt = new Date();
    await this.events.transaction(async (manager, publish) => {
      const changes = { status: 'completed' as const, completedAt, resultKey, claimedBy: null, leaseUntil: null };
      if (!(await this.store.move(this.owner, job.id, 'running', changes, manager))) return;
      Object.assign(job, changes);
      await publish(new MediaJobCompleted({ ...outcomeOf(job), resultUrl: resultPathOf(job.id) }));
    });
  }

  /** Fails a job held here in state `from`, with its event (billing refunds it if it was charged). */
  private async fail(job: MediaJob, from: MediaJobState, error: unknown): Promise<void> {
    const message = messageOf(error);
    markJobFailed(message);
    const changes = { status: 'failed' as const, completedAt: new Date(), error: message, claimedBy: null, leaseUntil: null };
    await this.events.transaction(async (manager, publish) => {
      if (!(await this.store.move(this.owner, job.id, from, changes, manager))) return;
      Object.assign(job, changes);
      await publish(new MediaJobFailed({ ...outcomeOf(job), error: message }));
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

function outcomeOf(job: MediaJob) {
  return {
    jobId: job.id,
    accountId: job.accountId,
    prompt: job.prompt,
    kind: job.kind,
    createdAt: job.createdAt.toISOString(),
    completedAt: (job.completedAt ?? new Date()).toISOString(),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
