import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LedgerReason } from './billing.facade.js';

/**
 * An append-only record of one movement of credits. The unique (job_id, reason) index is what
 * makes charge and refund idempotent per job, even under concurrent calls (NULL job ids never clash).
 */
@Entity({ name: 'billing_ledger_entries' })
@Index('billing_ledger_entries_job_reason', ['jobId', 'reason'], { unique: true })
@Index('billing_ledger_entries_account', ['accountId'])
export class LedgerEntry {
  // Increasing ids give a stable order even when two entries share a timestamp.
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 32 })
  reason: LedgerReason;

  @Column({ name: 'job_id', type: 'varchar', length: 64, nullable: true })
  jobId: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
