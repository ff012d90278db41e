import type { MediaJobView } from './media.facade.js';
import type { MediaJob } from './media-job.entity.js';

export function resultPathOf(jobId: string): string {
  return `/media/jobs/${jobId}/result`;
}

export function toMediaJobView(job: MediaJob): MediaJobView {
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
