// @modulith-covers migrations, runtime
import 'reflect-metadata';
import { afterAll, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryColumn, type Repository } from 'typeorm';
import { FeatureModule } from 'nest-modulith';
import { migrateOnConnect } from 'nest-modulith/migrations';
import { tempProject } from '../core/temp-project.js';
import { postgresUrl, requireServices } from '../support/services.js';

const pgUrl = await postgresUrl();
const pg = pgUrl || requireServices ? it : it.skip;

@Entity('ledger_rows')
class LedgerRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'integer' })
  amount: number;
}

@Injectable()
class LedgerService {
  constructor(@InjectRepository(LedgerRow) readonly rows: Repository<LedgerRow>) {}
}

@FeatureModule({ name: 'ledger', imports: [TypeOrmModule.forFeature([LedgerRow])], providers: [LedgerService] })
class LedgerModule {}

const base = `ms_${randomBytes(5).toString('hex')}`;
const ledgerSchema = `${base}_ledger`;
const project = tempProject({
  'package.json': { name: 'fixture', type: 'module' },
  'modules/ledger/module.json': { name: 'ledger', dependsOn: [], schema: ledgerSchema },
  'modules/ledger/migrations/1700000000000-create-rows.js':
    'export class CreateRows1700000000000 {\n  async up(queryRunner) { await queryRunner.query(\'CREATE TABLE "ledger_rows" ("id" varchar(36) PRIMARY KEY, "amount" integer NOT NULL)\'); }\n}\n',
});

afterAll(async () => {
  project.dispose();
  if (!pgUrl) return;
  const admin = await new DataSource({ type: 'postgres', url: pgUrl }).initialize();
  await admin.query(`DROP SCHEMA IF EXISTS "${base}" CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS "${ledgerSchema}" CASCADE`);
  await admin.destroy();
});

pg('the app reads and writes the tables of a module with a "schema" there: its migrations created them, its entities were placed in it', async () => {
  const admin = await new DataSource({ type: 'postgres', url: pgUrl! }).initialize();
  await admin.query(`CREATE SCHEMA "${base}"`);
  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: () => ({ type: 'postgres', url: pgUrl!, schema: base, autoLoadEntities: true, retryAttempts: 0 }),
        dataSourceFactory: migrateOnConnect({ modules: [LedgerModule], rootDir: project.dir }),
      }),
      LedgerModule,
    ],
  })
  class AppModule {}
  const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
  try {
    const service = app.get(LedgerService);
    await service.rows.save({ id: 'r1', amount: 7 });
    expect(await service.rows.findOneByOrFail({ id: 'r1' })).toEqual({ id: 'r1', amount: 7 });
    const where = (await admin.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'ledger_rows' AND table_schema IN ($1, $2)`, [base, ledgerSchema])) as Array<{ table_schema: string }>;
    expect(where.map((r) => r.table_schema)).toEqual([ledgerSchema]);
    const rows = (await admin.query(`SELECT amount FROM "${ledgerSchema}"."ledger_rows"`)) as Array<{ amount: number }>;
    expect(rows).toEqual([{ amount: 7 }]);
  } finally {
    await app.close();
    await admin.destroy();
  }
});
