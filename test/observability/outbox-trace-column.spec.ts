// @modulith-covers observability, events, runtime
import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { OUTBOX_MIGRATIONS } from 'nest-modulith/events';

describe('the outbox migration adding modulith_events.trace_context', () => {
  it('adds the nullable column after the tables exist, and is a no-op when it is there', async () => {
    const dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    const runner = dataSource.createQueryRunner();
    try {
      const [create, addTraceContext] = OUTBOX_MIGRATIONS.map((Migration) => new Migration());
      expect(addTraceContext!.name).toMatch(/^AddEventTraceContext\d{13}$/);
      await create!.up(runner);
      await runner.query(`INSERT INTO modulith_events (id, name, version, payload, published_at) VALUES ('e1', 'a.b', 1, '{}', 1)`);
      expect(await runner.hasColumn('modulith_events', 'trace_context')).toBe(false);
      await addTraceContext!.up(runner);
      await addTraceContext!.up(runner);
      const column = (await runner.getTable('modulith_events'))!.findColumnByName('trace_context')!;
      expect(column.isNullable).toBe(true);
      expect(await runner.query('SELECT id, trace_context FROM modulith_events')).toEqual([{ id: 'e1', trace_context: null }]);
      await addTraceContext!.down(runner);
      expect(await runner.hasColumn('modulith_events', 'trace_context')).toBe(false);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  });
});
