import { Facade } from 'nest-modulith';

export type MediaJobStatus = 'queued' | 'running' | 'completed' | 'failed';
export type MediaKind = 'image';

/** A job as other modules (and the HTTP layer) see it: plain JSON, dates as ISO 8601 strings. */
export interface MediaJobView {
  id: string;
  accountId: string;
  status: MediaJobStatus;
  prompt: string;
  kind: MediaKind;
  createdAt: string;
  completedAt?: string;
  error?: string;
  /** Path of the result, relative to the app's public URL; set once the job is completed. */
  resultUrl?: string;
}

/** Media's public contract and DI token. */
@Facade<MediaFacade>({ getJob: true })
export abstract class MediaFacade {
  /** The job, or null when no job has this id. */
  abstract getJob(jobId: string): Promise<MediaJobView | null>;
}
