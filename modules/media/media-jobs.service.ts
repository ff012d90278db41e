import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FacadeInput, arg } from 'nest-modulith';
import type { Repository } from 'typeorm';
import { captureTraceContext } from './job-trace.js';
import { MediaFacade, type MediaJobView, type MediaKind } from './media.facade.js';
import { MediaJobRunner } from './media-job-runner.js';
import { MediaJob } from './media-job.entity.js';
import { MediaJobStore } from './media-job-store.js';
import { isAccepted, toMediaJobView } from './media-job.view.js';
import { MediaSettings } from './media.settings.js';
import { ResultStore } from './result-store.js';

export { CREDITS_PER_JOB } from './media-job-runner.js';

export interface JobSubmission {
  accountId: string;
  prompt: string;
  kind: MediaKind;
}

@Injectable()
export class MediaJobsService implements MediaFacade {
  constructor(
    @InjectRepository(MediaJob) private readonly jobs: Repository<MediaJob>,
    private readonly store: MediaJobStore,
    private readonly runner: MediaJobRunner,
    private readonly results: ResultStore,
    private readonly settings: MediaSettings,
  ) {}

  /**
   * Records the job, charges one credit for it, queues it. Billing's ledger and media's jobs are
   * two modules' data (billing may run in another process): no transaction spans both, so the
   * steps are ordered to be safe at every crash point:
   * 1. the job is committed first, `charging`, under this instance's claim (a lease);
   * 2. billing charges it, idempotently by job id, valid only within the lease;
   * 3. it moves to `queued`, released for any instance's runner.
   * A crash after 1 or 2 leaves a charging job, which a runner resumes once the lease runs out:
   * it charges again (a landed charge is not taken twice) and runs it, or fails it uncharged when
   * the credits are gone. Throws billing's InsufficientCreditsError (the job is then discarded, it
   * never existed); any other error leaves the outcome to that resumption.
   */
  async submit({ accountId, prompt, kind }: JobSubmission): Promise<MediaJobView> {
    const now = Date.now();
    const job = this.jobs.create({
      id: randomUUID(),
      accountId,
      prompt,
      kind,
      status: 'charging',
      createdAt: new Date(now),
      startedAt: null,
      completedAt: null,
      error: null,
      resultKey: null,
      claimedBy: this.runner.owner,
      leaseUntil: now + this.runner.leaseMs,
      attempts: 0,
      traceContext: captureTraceContext(),
    });
    await this.store.record(job);
    this.crashPoint('record');

    const charge = await this.runner.charge(job);
    if (charge.kind === 'refused') {
      await this.store.discard(this.runner.owner, job.id);
      throw charge.error;
    }
    if (charge.kind === 'lost') {
      throw new Error(`media job ${job.id} could not be confirmed before its lease ran out; it is resumed in the background`);
    }
    this.crashPoint('charge');

    if (await this.store.move(this.runner.owner, job.id, 'charging', { status: 'queued', claimedBy: null, leaseUntil: null })) {
      this.runner.wake();
      return toMediaJobView({ ...job, status: 'queued' });
    }
    // Charged, but the claim ran out meanwhile and another runner resumed the job: it charges the
    // same job id (nothing more is taken) and carries it on. The job is accepted all the same.
    const current = await this.jobs.findOneBy({ id: job.id });
    return toMediaJobView(current && isAccepted(current) ? current : { ...job, status: 'queued' });
  }

  /** The job, or null when no job has this id (or it is not accepted yet: still being charged). */
  @FacadeInput(MediaFacade, { jobId: arg.id })
  async getJob(jobId: string): Promise<MediaJobView | null> {
    const job = await this.jobs.findOneBy({ id: jobId });
    return job && isAccepted(job) ? toMediaJobView(job) : null;
  }

  /** The PNG of a completed job, or null when the store lost it. */
  async result(jobId: string): Promise<Uint8Array | null> {
    const job = await this.jobs.findOneBy({ id: jobId });
    return job?.resultKey ? this.results.get(job.resultKey) : null;
  }

  /** MEDIA_TEST_CRASH_AFTER (tests only): dies like kill -9 right after `step`. Inert unless set. */
  private crashPoint(step: 'record' | 'charge'): void {
    if (this.settings.testCrashAfter === step) process.kill(process.pid, 'SIGKILL');
  }
}
