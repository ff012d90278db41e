import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Balances and the ledger as TypeORM's synchronize created them before migrations existed (IF
 * NOT EXISTS: a database from that version takes this as a no-op). Dialect-neutral: the app runs
 * on SQLite and PostgreSQL.
 */
export class CreateBilling1764547200002 implements MigrationInterface {
  name = 'CreateBilling1764547200002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'billing_balances',
        columns: [
          { name: 'account_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'credits', type: 'integer' },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'billing_ledger_entries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'account_id', type: 'varchar', length: '64' },
          { name: 'amount', type: 'integer' },
          { name: 'reason', type: 'varchar', length: '32' },
          { name: 'job_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        indices: [
          { name: 'billing_ledger_entries_account', columnNames: ['account_id'] },
          { name: 'billing_ledger_entries_job_reason', columnNames: ['job_id', 'reason'], isUnique: true },
        ],
      }),
      true,
      false,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('billing_ledger_entries', true);
    await queryRunner.dropTable('billing_balances', true);
  }
}
