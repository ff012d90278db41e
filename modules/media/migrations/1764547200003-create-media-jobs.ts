import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The jobs table as TypeORM's synchronize created it before migrations existed (IF NOT EXISTS: a
 * database from that version takes this as a no-op). Dialect-neutral: the app runs on SQLite and
 * PostgreSQL.
 */
export class CreateMediaJobs1764547200003 implements MigrationInterface {
  name = 'CreateMediaJobs1764547200003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'media_jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'prompt', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'started_at', type: timestamp, isNullable: true },
          { name: 'completed_at', type: timestamp, isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'result_key', type: 'varchar', length: '200', isNullable: true },
          { name: 'claimed_by', type: 'varchar', length: '100', isNullable: true },
          { name: 'lease_until', type: 'bigint', isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
        ],
        indices: [{ name: 'media_jobs_status', columnNames: ['status'] }],
      }),
      true,
      false,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('media_jobs', true);
  }
}
