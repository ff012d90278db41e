import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { parse } from 'node:path';
import { tmpdir } from 'node:os';
import { cleanEnv, tail } from './commands.js';

/** The filesystem root: no package.json, no module.json and no node_modules above or in it. */
export const FOREIGN_CWD = parse(tmpdir()).root;

/** A free loopback port (asked of the OS, then released for the app to take). */
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

/**
 * A built app started the way an image starts it — `node <app>/dist/main.js` — from another
 * working directory (FOREIGN_CWD unless given), with PORT on a free loopback port. Ready once
 * `GET readyPath` answers at all; a process that exits first, or is not ready in time, is an
 * error carrying the command, the working directory and the tail of its output.
 */
export class BootedApp {
  private output = '';
  private exit: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly command: string,
    readonly cwd: string,
  ) {
    const onData = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-50_000));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => (this.exit = signal ?? `exit ${code}`));
  }

  static async start(mainJs: string, options: { cwd?: string; readyPath?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<BootedApp> {
    const port = await freePort();
    const cwd = options.cwd ?? FOREIGN_CWD;
    const child = spawn(process.execPath, [mainJs], { cwd, env: cleanEnv({ PORT: String(port), ...options.env }), stdio: ['ignore', 'pipe', 'pipe'] });
    const app = new BootedApp(child, `http://127.0.0.1:${port}`, `PORT=${port} node ${mainJs}`, cwd);
    try {
      await app.waitUntilReady(options.readyPath ?? '/', options.timeoutMs ?? 60_000);
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  /** What the process printed so far (stdout and stderr interleaved). */
  get logs(): string {
    return this.output;
  }

  /** A diagnostic: the command, where it ran, its state and the tail of its output. */
  describe(why: string): string {
    return `${why}\n\`${this.command}\` (cwd ${this.cwd}, ${this.exit ?? 'running'})\n--- output (tail) ---\n${tail(this.output) || '(empty)'}`;
  }

  async get(path: string): Promise<{ status: number; body: unknown; text: string }> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new Error(this.describe(`GET ${path} failed: ${(error as Error).message}`));
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    return { status: response.status, body, text };
  }

  async stop(): Promise<void> {
    if (this.exit !== undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilReady(path: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit !== undefined) throw new Error(this.describe('the app exited before it answered HTTP'));
      try {
        await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(this.describe(`the app did not answer GET ${path} within ${timeoutMs} ms`));
  }
}
