import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'modulith_events';
const COLUMN = 'trace_context';

/**
 * `modulith_events.trace_context`: the publisher's trace context, which deliveries continue.
 * Skipped when the column exists (a database that TypeORM's synchronize already brought up to
 * date). Frozen like every outbox migration.
 */
export class AddEventTraceContext1796152972894 implements MigrationInterface {
  name = 'AddEventTraceContext1796152972894';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasColumn(TABLE, COLUMN)) return;
    await queryRunner.addColumn(TABLE, new TableColumn({ name: COLUMN, type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasColumn(TABLE, COLUMN)) await queryRunner.dropColumn(TABLE, COLUMN);
  }
}
