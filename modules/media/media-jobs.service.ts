import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { BillingFacade } from '../billing/index.js';
import { MediaFacade, type MediaJobView, type MediaKind } from './media.facade.js';
import { MediaJobRunner } from './media-job-runner.js';
import { MediaJob } from './media-job.entity.js';
import { toMediaJobView } from './media-job.view.js';
import { ResultStore } from './result-store.js';

export const CREDITS_PER_JOB = 1;

export interface JobSubmission {
  accountId: string;
  prompt: string;
  kind: MediaKind;
}

@Injectable()
export class MediaJobsService implements MediaFacade {
  constructor(
    @InjectRepository(MediaJob) private readonly jobs: Repository<MediaJob>,
    private readonly billing: BillingFacade,
    private readonly runner: MediaJobRunner,
    private readonly store: ResultStore,
  ) {}

  /** Charges one credit (throws billing's InsufficientCreditsError), records the job, starts it. */
  async submit({ accountId, prompt, kind }: JobSubmission): Promise<MediaJobView> {
    const id = randomUUID();
    await this.billing.charge({ accountId, jobId: id, amount: CREDITS_PER_JOB });
    const job = this.jobs.create({
      id,
      accountId,
      prompt,
      kind,
      status: 'queued',
      createdAt: new Date(),
      startedAt: null,
      completedAt: null,
      error: null,
      resultKey: null,
    });
    try {
      await this.jobs.insert(job);
    } catch (error) {
      // The job never existed: give the credit back before reporting the error.
      await this.billing.refund({ accountId, jobId: id });
      throw error;
    }
    this.runner.enqueue(id);
    return toMediaJobView(job);
  }

  async getJob(jobId: string): Promise<MediaJobView | null> {
    const job = await this.jobs.findOneBy({ id: jobId });
    return job ? toMediaJobView(job) : null;
  }

  /** The PNG of a completed job, or null when the store lost it. */
  async result(jobId: string): Promise<Uint8Array | null> {
    const job = await this.jobs.findOneBy({ id: jobId });
    return job?.resultKey ? this.store.get(job.resultKey) : null;
  }
}
