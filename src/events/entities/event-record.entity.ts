import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from './columns.js';

/** One published event. Its id is the stable id every delivery (and every retry) carries. */
@Entity('modulith_events')
export class EventRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Logical name, e.g. `media.job.completed` (never a class name). */
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  payload: string;

  @Index('modulith_events_published_at')
  @Column({ name: 'published_at', type: 'bigint', transformer: epochMillis })
  publishedAt: number;

  /**
   * The publisher's trace context (W3C carrier as JSON), so a delivery continues the publishing
   * trace, also after a restart. Null without an OpenTelemetry SDK or a trace to continue.
   */
  @Column({ name: 'trace_context', type: 'text', nullable: true })
  traceContext: string | null;
}
