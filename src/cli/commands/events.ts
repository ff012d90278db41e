import { runEventsCommand } from '../../events/index.js';
import type { CliIo } from '../io.js';

/** `modulith events ...`: operations on the outbox of the app's DATABASE_URL (see src/events). */
export function eventsCommand(args: string[], io: CliIo): Promise<number> {
  return runEventsCommand(args, { env: process.env, stdout: io.stdout, stderr: io.stderr });
}
