import { importOptionalPeer } from '../../core/index.js';
import type { CliIo } from '../io.js';

/** `modulith events ...`: operations on the outbox of the app's DATABASE_URL (see src/events). */
export async function eventsCommand(args: string[], io: CliIo): Promise<number> {
  // The outbox is TypeORM's: an app that does not use it has no typeorm to load.
  await importOptionalPeer('typeorm', '`modulith events`');
  const { runEventsCommand } = await import('../../events/index.js');
  return runEventsCommand(args, { env: process.env, cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
}
