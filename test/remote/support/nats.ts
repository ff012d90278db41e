import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { requireServices } from '../../support/services.js';

/** The development machines' NATS; MODULITH_TEST_NATS_URL overrides it. */
export const NATS_URL = process.env.MODULITH_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BINARY = process.env.MODULITH_TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

/** Why NATS cannot be used here, or undefined when a real connection succeeded. Await it at the top of a test file. */
export async function natsUnavailable(url = NATS_URL): Promise<string | undefined> {
  try {
    const connection = await connect({ servers: url, timeout: 2000, reconnect: false });
    await connection.close();
    return undefined;
  } catch (error) {
    return `NATS is not reachable at ${url} (${(error as Error).message})`;
  }
}

/**
 * `describe` when `unavailable` is undefined; else skipped with the reason printed, or, under
 * MODULITH_REQUIRE_SERVICES=1, a failing test (the same policy as describeOnDatabases).
 */
export function describeWhen(unavailable: string | undefined, title: string, body: () => void): void {
  if (!unavailable) describe(title, body);
  else if (requireServices) {
    describe(title, () => {
      it('needs its service (MODULITH_REQUIRE_SERVICES=1)', () => {
        throw new Error(unavailable);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${unavailable}`);
    describe.skip(title, body);
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A nats-server of the test's own (e.g. with a token), stopped by `stop`. */
export interface OwnNatsServer {
  url: string;
  /** How many times the server has logged `pattern` so far. */
  count(pattern: RegExp): number;
  /** Resolves once the server has logged `pattern` at least `count` times in all. */
  logged(pattern: RegExp, count: number): Promise<void>;
  stop(): Promise<void>;
}

export function natsServerUnavailable(): string | undefined {
  return existsSync(NATS_SERVER_BINARY) ? undefined : `${NATS_SERVER_BINARY} is not installed (set MODULITH_TEST_NATS_SERVER)`;
}

/** Spawns nats-server on a free loopback port with `args` (e.g. ['--auth', token]); resolves once it accepts clients. */
export async function startNatsServer(args: string[]): Promise<OwnNatsServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(NATS_SERVER_BINARY, ['-a', '127.0.0.1', '-p', String(port), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let log = '';
  const waiting = new Set<() => void>();
  child.stderr!.on('data', (chunk) => {
    log += chunk;
    for (const check of waiting) check();
  });
  const countOf = (pattern: RegExp) => (log.match(new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g')) ?? []).length;
  const logged = (pattern: RegExp, count: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (countOf(pattern) < count) return;
        waiting.delete(check);
        resolve();
      };
      waiting.add(check);
      check();
      void exited.then(() => waiting.has(check) && reject(new Error(`nats-server exited before logging ${pattern} ${count} times: ${log}`)));
    });
  await Promise.race([logged(/Server is ready/, 1), new Promise((_, reject) => child.once('error', reject))]);
  return {
    url: `nats://127.0.0.1:${port}`,
    count: countOf,
    logged,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A request in the packet format of Nest's NATS transport, sent by a client that is no nest-modulith process. */
export async function rawCall(connection: NatsConnection, subject: string, data: unknown): Promise<any> {
  return rawText(connection, subject, JSON.stringify({ pattern: subject, data, id: 'raw-1' }));
}

/** Like rawCall, with the packet as written (e.g. JSON text holding a `__proto__` key). */
export async function rawText(connection: NatsConnection, subject: string, packet: string): Promise<any> {
  const reply = await connection.request(subject, packet, { timeout: 3000 });
  return reply.json();
}
