import { importOptionalPeer } from '../../core/index.js';
import type { CliIo } from '../io.js';

/** `modulith migrate` and `modulith migrations generate`: per-module migrations on DATABASE_URL (see src/migrations). */
export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  await importOptionalPeer('typeorm', '`modulith migrate`');
  const { runMigrateCommand } = await import('../../migrations/index.js');
  return runMigrateCommand(args, { env: process.env, cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
}

export async function migrationsCommand(args: string[], io: CliIo): Promise<number> {
  await importOptionalPeer('typeorm', '`modulith migrations`');
  const { runMigrationsCommand } = await import('../../migrations/index.js');
  return runMigrationsCommand(args, { env: process.env, cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
}
