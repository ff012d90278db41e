import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from './columns.js';

/** Marks that a listener has processed an event, so a redelivery can be skipped. */
@Entity('modulith_inbox')
export class InboxEntry {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  listener: string;

  @Column({ name: 'processed_at', type: 'bigint', transformer: epochMillis })
  processedAt: number;
}
