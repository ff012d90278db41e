import type { MediaJobStatus, MediaJobView } from './media.facade.js';
import type { MediaJob } from './media-job.entity.js';

export function resultPathOf(jobId: string): string {
  return `/media/jobs/${jobId}/result`;
}

/** A job past its charge: the only jobs anyone outside media sees. */
export function isAccepted(job: MediaJob): job is MediaJob & { status: MediaJobStatus } {
  return job.status !== 'charging';
}

export function toMediaJobView(job: MediaJob & { status: MediaJobStatus }): MediaJobView {
  return {
    id: job.id,
    accountId: job.accountId,
    status: job.status,
    prompt: job.prompt,
    kind: job.kind,
    createdAt: job.createdAt.toISOString(),
    ...(job.completedAt ? { completedAt: job.completedAt.toISOString() } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.status === 'completed' ? { resultUrl: resultPathOf(job.id) } : {}),
  };
}
