import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const bigint = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

/**
 * The outbox's tables (entities in ../entities), as TypeORM's synchronize created them before
 * migrations existed: written with the query runner's dialect-neutral API and `IF NOT EXISTS`,
 * so a database that synchronize created takes it as a no-op and is recorded as migrated.
 * Frozen: a later change to an outbox entity gets a new migration, never an edit here.
 */
export class CreateOutboxTables1764547200000 implements MigrationInterface {
  name = 'CreateOutboxTables1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      new Table({
        name: 'modulith_events',
        columns: [id(), varchar('name', 200), { name: 'version', type: 'integer' }, { name: 'payload', type: 'text' }, bigint('published_at')],
        indices: [{ name: 'modulith_events_published_at', columnNames: ['published_at'] }],
      }),
      new Table({
        name: 'modulith_deliveries',
        columns: [
          id(),
          varchar('event_id', 36),
          varchar('listener', 200),
          varchar('status', 16),
          { name: 'attempts', type: 'integer', default: 0 },
          bigint('next_attempt_at'),
          varchar('claimed_by', 100, true),
          { name: 'last_error', type: 'text', isNullable: true },
          bigint('created_at'),
          bigint('completed_at', true),
        ],
        indices: [
          { name: 'modulith_deliveries_event', columnNames: ['event_id'] },
          { name: 'modulith_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
        ],
      }),
      new Table({
        name: 'modulith_deliveries_archive',
        columns: [id(), varchar('event_id', 36), varchar('event_name', 200), { name: 'payload', type: 'text' }, varchar('listener', 200), { name: 'attempts', type: 'integer' }, bigint('completed_at')],
        indices: [{ name: 'modulith_deliveries_archive_completed_at', columnNames: ['completed_at'] }],
      }),
      new Table({
        name: 'modulith_inbox',
        columns: [id('event_id'), { ...varchar('listener', 200), isPrimary: true }, bigint('processed_at')],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table, true, false, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['modulith_inbox', 'modulith_deliveries_archive', 'modulith_deliveries', 'modulith_events']) await queryRunner.dropTable(name, true);
  }
}
