import { ModuleEvent } from 'nest-modulith/events';

/** What every job outcome carries: plain JSON, exactly the `data` of the webhook sent for it. */
export interface MediaJobOutcome {
  jobId: string;
  accountId: string;
  prompt: string;
  kind: string;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  completedAt: string;
}

abstract class JobOutcomeEvent implements MediaJobOutcome {
  jobId: string;
  accountId: string;
  prompt: string;
  kind: string;
  createdAt: string;
  completedAt: string;
}

/** Published by media, in the transaction that marks a job completed. */
@ModuleEvent({ name: 'media.job.completed', version: 1, module: 'media-events' })
export class MediaJobCompleted extends JobOutcomeEvent {
  readonly status = 'completed' as const;
  /** Path of the PNG on the app's public URL, e.g. /media/jobs/<id>/result. */
  resultUrl: string;

  constructor(outcome: MediaJobOutcome & { resultUrl: string }) {
    super();
    Object.assign(this, outcome);
  }
}

/** Published by media, in the transaction that marks a job failed. Billing refunds it. */
@ModuleEvent({ name: 'media.job.failed', version: 1, module: 'media-events' })
export class MediaJobFailed extends JobOutcomeEvent {
  readonly status = 'failed' as const;
  error: string;

  constructor(outcome: MediaJobOutcome & { error: string }) {
    super();
    Object.assign(this, outcome);
  }
}
