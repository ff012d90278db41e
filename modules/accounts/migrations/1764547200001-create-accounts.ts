import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The accounts table as TypeORM's synchronize created it before migrations existed (IF NOT
 * EXISTS: a database from that version takes this as a no-op). Dialect-neutral: the app runs on
 * SQLite and PostgreSQL.
 */
export class CreateAccounts1764547200001 implements MigrationInterface {
  name = 'CreateAccounts1764547200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'accounts_accounts',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'api_key_hash', type: 'varchar', length: '64' },
          { name: 'webhook_url', type: 'varchar', length: '2000', isNullable: true },
          { name: 'webhook_secret', type: 'varchar', length: '100' },
          { name: 'created_at', type: timestamp },
        ],
        indices: [{ name: 'accounts_accounts_api_key_hash', columnNames: ['api_key_hash'], isUnique: true }],
      }),
      true,
      false,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('accounts_accounts', true);
  }
}
