import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type Repository } from 'typeorm';
import { BillingFacade } from '../billing/index.js';
import { NotificationsFacade } from '../notifications/index.js';
import { ImageGenerator } from './image-generator.js';
import { MediaJob } from './media-job.entity.js';
import { toMediaJobView } from './media-job.view.js';
import { ResultStore } from './result-store.js';

/** Jobs generated at the same time by one process; the rest wait in memory (their rows say "queued"). */
const CONCURRENCY = 4;

/**
 * Runs jobs in the background of this process. Durability comes from the table, not from memory:
 * at startup every job still queued or running (the process died or stopped) is picked up again,
 * and on shutdown running generations are aborted and left "running" to be resumed next time.
 * One runner per database for now; several instances would need to claim jobs (a later issue).
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
    private readonly billing: BillingFacade,
    private readonly notifications: NotificationsFacade,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const unfinished = await this.jobs.find({
      where: { status: In(['queued', 'running']) },
      order: { createdAt: 'ASC' },
      select: { id: true },
    });
    if (unfinished.length > 0) this.logger.log(`resuming ${unfinished.length} unfinished job(s)`);
    for (const { id } of unfinished) this.enqueue(id);
    const unrefunded = await this.jobs.findBy({ status: 'failed', refundedAt: IsNull() });
    for (const job of unrefunded) await this.refund(job);
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
      await this.jobs.update({ id: job.id }, { status: job.status, completedAt: job.completedAt, resultKey });
    } catch (error) {
      return this.fail(job, error);
    }
    await this.announce(job);
  }

  private async fail(job: MediaJob, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    Object.assign(job, { status: 'failed', completedAt: new Date(), error: message });
    await this.jobs.update({ id: job.id }, { status: job.status, completedAt: job.completedAt, error: message });
    await this.refund(job);
    await this.announce(job);
  }

  private async refund(job: MediaJob): Promise<void> {
    try {
      await this.billing.refund({ accountId: job.accountId, jobId: job.id });
      await this.jobs.update({ id: job.id }, { refundedAt: new Date() });
    } catch (error) {
      // Left for the next startup's sweep of failed jobs without refundedAt.
      this.logger.error(`refund of failed job ${job.id} did not go through: ${(error as Error).message}`);
    }
  }

  private async announce(job: MediaJob): Promise<void> {
    const { id: jobId, accountId, ...details } = toMediaJobView(job);
    await this.notifications.publish({
      accountId,
      type: job.status === 'completed' ? 'media.job.completed' : 'media.job.failed',
      data: { jobId, accountId, ...details },
    });
  }
}
