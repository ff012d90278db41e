import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { MediaJobStatus, MediaKind } from './media.facade.js';

/**
 * A job's state in the table: the public statuses, plus `charging` — recorded, its credit not
 * yet confirmed by billing. Nobody outside media ever sees a charging job (it is not accepted yet).
 */
export type MediaJobState = MediaJobStatus | 'charging';

/** PostgreSQL returns bigint as a string; epoch milliseconds fit a JS number safely. */
const epochMillis: ValueTransformer = {
  to: (value?: number | null) => value,
  from: (value?: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/**
 * A generation job. Its row is the queue: a job charging, queued or running whose lease has run
 * out (or that nobody holds) is claimed by an instance, which renews the lease while it works on it.
 */
@Entity({ name: 'media_jobs' })
@Index('media_jobs_status', ['status'])
export class MediaJob {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @Column({ type: 'varchar', length: 16 })
  status: MediaJobState;

  @Column({ type: 'varchar', length: 16 })
  kind: MediaKind;

  @Column({ type: 'text' })
  prompt: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'started_at', type: Date, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: Date, nullable: true })
  completedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** Key of the result in the ResultStore, once completed. */
  @Column({ name: 'result_key', type: 'varchar', length: 200, nullable: true })
  resultKey: string | null;

  /** The instance working on the job (see MediaJobRunner.owner), while it holds the lease. */
  @Column({ name: 'claimed_by', type: 'varchar', length: 100, nullable: true })
  claimedBy: string | null;

  /** Epoch ms until which `claimedBy` holds the job; null when nobody does. */
  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: epochMillis })
  leaseUntil: number | null;

  /** How many times a runner claimed the job (a crash-looping job is failed after a few). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /**
   * The submitting request's trace context (W3C, as JSON), which the runner's work on the job
   * continues (see job-trace.ts). Null without an OpenTelemetry SDK or a trace to continue.
   */
  @Column({ name: 'trace_context', type: 'text', nullable: true })
  traceContext: string | null;
}
