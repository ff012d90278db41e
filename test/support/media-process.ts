import { spawn, type ChildProcess } from 'node:child_process';
import type { AppConfig, DatabaseConfig } from '../../app/config.js';

/**
 * The `media` module in a process of its own: the reference app's real entry point (app/main.ts)
 * started with MODULITH_SERVE=media and its own database, as a deployment would run it.
 */
export class MediaProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** `env`: more variables for the process (e.g. OTEL_* to export its telemetry). */
  static async start(options: { config: AppConfig; database: DatabaseConfig; namespace: string; env?: NodeJS.ProcessEnv }): Promise<MediaProcess> {
    const { config, database, namespace } = options;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MODULITH_SERVE: 'media',
      MODULITH_REMOTE: '',
      MODULITH_NAMESPACE: namespace,
      // The development broker has no authorization (test/extraction covers one that has).
      MODULITH_BROKER_INSECURE: '1',
      MODULITH_STRICT: '1',
      PORT: '0',
      DATABASE_URL: database.type === 'sqlite' ? `sqlite:${database.path}` : database.url,
      DATABASE_SCHEMA: database.type === 'postgres' ? (database.schema ?? '') : '',
      MEDIA_GENERATION_MS: String(config.media.generationMs),
      MEDIA_STORAGE_DIR: config.media.storageDir,
      MEDIA_LEASE_MS: String(config.media.leaseMs),
      EVENTS_MAX_ATTEMPTS: String(config.events.maxAttempts),
      EVENTS_BACKOFF_MS: String(config.events.backoffMs),
      EVENTS_MAX_BACKOFF_MS: String(config.events.maxBackoffMs),
      EVENTS_POLL_MS: String(config.events.pollMs),
      EVENTS_LEASE_MS: String(config.events.leaseMs),
      WEBHOOK_ALLOWED_HOSTS: config.webhooks.allowedHosts.join(','),
      ...options.env,
    };
    const media = new MediaProcess(env);
    await media.spawn();
    return media;
  }

  /** Graceful stop (SIGTERM: running jobs are aborted and resumed by the next start). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** kill -9, then start again on the same database: what a crash and a restart look like. */
  async crashAndRestart(): Promise<void> {
    await this.signal('SIGKILL');
    await this.spawn();
  }

  private spawn(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'app/main.ts'], {
      cwd: process.cwd(),
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.output = (this.output + chunk.toString()).slice(-20_000);
        // main.ts logs this once the app (and its broker server) is up.
        if (this.output.includes('listening on')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`the media process exited (${signal ?? code}) before it was ready:\n${this.output}`)));
    });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
