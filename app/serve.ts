import { Logger } from '@nestjs/common';
import { loadConfig } from './config.js';
import { createApp } from './create-app.js';

/** Starts the configured app and listens (loaded by main.ts once telemetry, if any, is up). */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port);
  const database = config.database.type === 'sqlite' ? `sqlite:${config.database.path}` : 'postgres';
  new Logger('main').log(`listening on http://localhost:${config.port} (database: ${database})`);
}
