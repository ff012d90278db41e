import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { EventPublisher } from 'nest-modulith/events';
import { MediaJobCompleted, MediaJobFailed } from '../media-events/index.js';
import { ImageGenerator } from './image-generator.js';
import { MediaJob } from './media-job.entity.js';
import { resultPathOf } from './media-job.view.js';
import { ResultStore } from './result-store.js';

/** Jobs generated at the same time by one process; the rest wait in memory (their rows say "queued"). */
const CONCURRENCY = 4;

/**
 * Runs jobs in the background of this process. Durability comes from the table, not from memory:
 * at startup every job still queued or running (the process died or stopped) is picked up again,
 * and on shutdown running generations are aborted and left "running" to be resumed next time.
 * A job's outcome is written in one transaction with its event (media.job.completed/failed)
 * through the outbox, so billing's refund and the webhook can never be lost or run for an
 * outcome that was not saved.
 * One runner per database for now; several instances would need to claim jobs.
 */
@Injectable()
export class MediaJobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('media');
  private readonly waiting: string[] = [];
  private readonly active = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @InjectRepository(MediaJob) private readonly jobs: Repository<MediaJob>,
    private readonly generator: ImageGenerator,
    private readonly store: ResultStore,
    private readonly events: EventPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const unfinished = await this.jobs.find({
      where: { status: In(['queued', 'running']) },
      order: { createdAt: 'ASC' },
      select: { id: true },
    });
    if (unfinished.length > 0) this.logger.log(`resuming ${unfinished.length} unfinished job(s)`);
    for (const { id } of unfinished) this.enqueue(id);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    this.waiting.length = 0;
    await Promise.allSettled([...this.active.values()]);
  }

  enqueue(jobId: string): void {
    if (this.stopping.signal.aborted || this.active.has(jobId) || this.waiting.includes(jobId)) return;
    this.waiting.push(jobId);
    this.drain();
  }

  private drain(): void {
    while (!this.stopping.signal.aborted && this.active.size < CONCURRENCY && this.waiting.length > 0) {
      const jobId = this.waiting.shift()!;
      const run = this.execute(jobId)
        .catch((error) => this.logger.error(`job ${jobId} crashed the runner: ${(error as Error).stack ?? error}`))
        .finally(() => {
          this.active.delete(jobId);
          this.drain();
        });
      this.active.set(jobId, run);
    }
  }

  private async execute(jobId: string): Promise<void> {
    const job = await this.jobs.findOneBy({ id: jobId });
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
    if (job.status === 'queued') {
      job.status = 'running';
      job.startedAt = new Date();
      await this.jobs.update({ id: job.id }, { status: job.status, startedAt: job.startedAt });
    }

    let image: Uint8Array;
    try {
      image = await this.generator.generate({ prompt: job.prompt, kind: job.kind }, this.stopping.signal);
    } catch (error) {
      // Interrupted by shutdown: the row stays "running" and the next start resumes it.
      if (this.stopping.signal.aborted) return;
      return this.fail(job, error);
    }
    try {
      const resultKey = `${job.id}.png`;
      await this.store.put(resultKey, image);
      Object.assign(job, { status: 'completed', completedAt: new Date(), resultKey });
    } catch (error) {
      return this.fail(job, error);
    }
    await this.events.transaction(async (manager, publish) => {
      await manager.update(MediaJob, { id: job.id }, { status: job.status, completedAt: job.completedAt, resultKey: job.resultKey });
      await publish(new MediaJobCompleted({ ...outcomeOf(job), resultUrl: resultPathOf(job.id) }));
    });
  }

  private async fail(job: MediaJob, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    Object.assign(job, { status: 'failed', completedAt: new Date(), error: message });
    await this.events.transaction(async (manager, publish) => {
      await manager.update(MediaJob, { id: job.id }, { status: job.status, completedAt: job.completedAt, error: message });
      await publish(new MediaJobFailed({ ...outcomeOf(job), error: message }));
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
