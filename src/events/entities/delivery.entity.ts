import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from './columns.js';

export type DeliveryStatus = 'pending' | 'completed' | 'failed';

/**
 * One event to one listener. A pending delivery is due when `next_attempt_at` has passed; a
 * claim pushes `next_attempt_at` forward by the lease, so a claim that dies with its process
 * simply becomes due again. One index serves the dispatcher however large the backlog.
 */
@Entity('modulith_deliveries')
@Index('modulith_deliveries_due', ['status', 'nextAttemptAt'])
export class DeliveryRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('modulith_deliveries_event')
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 200 })
  listener: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMillis })
  nextAttemptAt: number;

  /** The instance holding the current lease (for operators and for safe completion). */
  @Column({ name: 'claimed_by', type: 'varchar', length: 100, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'completed_at', type: 'bigint', transformer: epochMillis, nullable: true })
  completedAt: number | null;
}
