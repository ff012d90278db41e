import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'media_jobs';
const COLUMN = 'trace_context';

/**
 * `media_jobs.trace_context`: the submitting request's trace context, which the runner's work on
 * the job continues. Skipped when the column exists (a database that TypeORM's synchronize already
 * brought up to date). Dialect-neutral: the app runs on SQLite and PostgreSQL.
 */
export class AddMediaJobTraceContext1796155363919 implements MigrationInterface {
  name = 'AddMediaJobTraceContext1796155363919';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasColumn(TABLE, COLUMN)) return;
    await queryRunner.addColumn(TABLE, new TableColumn({ name: COLUMN, type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasColumn(TABLE, COLUMN)) await queryRunner.dropColumn(TABLE, COLUMN);
  }
}
