import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from './columns.js';

/** Completed deliveries moved out of the hot table when the completion mode is `archive`. */
@Entity('modulith_deliveries_archive')
export class ArchivedDeliveryRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'event_name', type: 'varchar', length: 200 })
  eventName: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 200 })
  listener: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Index('modulith_deliveries_archive_completed_at')
  @Column({ name: 'completed_at', type: 'bigint', transformer: epochMillis })
  completedAt: number;
}
