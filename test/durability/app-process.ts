import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * The reference app's real entry point (app/main.ts, SWC on the fly) in a child process, to be
 * killed with SIGKILL at any moment: what a crash of a deployed instance looks like.
 */
export class AppProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const collect = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
  }

  /** Starts the app with `env` on top of this process's environment; resolves once it listens. */
  static async start(env: NodeJS.ProcessEnv, options: { port?: number; readyTimeoutMs?: number } = {}): Promise<AppProcess> {
    const port = options.port ?? (await freePort());
    const child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'app/main.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, `http://127.0.0.1:${port}`);
    await app.until('listening on', options.readyTimeoutMs ?? 60_000);
    return app;
  }

  /** The last 20,000 characters the process wrote. */
  get log(): string {
    return this.output;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the process printed `text` (since it started); rejects if it exits first. */
  until(text: string, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`the app did not print '${text}' within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const onData = () => this.output.includes(text) && finish();
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish(new Error(`the app exited (${signal ?? code}) before printing '${text}':\n${this.output}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', onData);
        this.child.stderr!.off('data', onData);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      this.child.stdout!.on('data', onData);
      this.child.stderr!.on('data', onData);
      this.child.once('exit', onExit);
      onData();
    });
  }

  /** kill -9: no shutdown hook runs, nothing is flushed beyond what was committed. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A graceful stop (SIGTERM). */
  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
