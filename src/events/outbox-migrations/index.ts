import { AddEventTraceContext1796152972894 } from './add-event-trace-context.js';
import { CreateOutboxTables1764547200000 } from './create-outbox-tables.js';

/** The outbox's own migrations, oldest first; nest-modulith/migrations runs them before every module's (history name `modulith:events`). */
export const OUTBOX_MIGRATIONS = [CreateOutboxTables1764547200000, AddEventTraceContext1796152972894];
