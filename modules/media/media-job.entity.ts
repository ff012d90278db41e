import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MediaJobStatus, MediaKind } from './media.facade.js';

/** A generation job. Its row is the queue: whatever is queued or running at startup is resumed. */
@Entity({ name: 'media_jobs' })
@Index('media_jobs_status', ['status'])
export class MediaJob {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @Column({ type: 'varchar', length: 16 })
  status: MediaJobStatus;

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
}
