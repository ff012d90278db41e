// Helpers for the relay tests: Nest apps with the relay on (one database and origin each), a
// NATS client for looking at streams and consumers, and nats-server processes of our own that a
// test can kill and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EventPublicationRegistry, EventRelay, ModuleEvent, relayNames, type EventsOptions } from 'nest-modulith/events';
import { requireServices } from '../support/services.js';
import type { TempProject } from '../core/temp-project.js';
import { AuditModule, bootEvents, InvoicingModule, OrdersModule, type Database } from './fixtures.js';

export const SHARED_NATS = process.env.MODULITH_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BIN = '/usr/sbin/nats-server';

/** An event of the fixture `orders` module that no fixture listener handles. */
@ModuleEvent({ name: 'orders.order.archived', version: 1 })
export class OrderArchived {
  constructor(readonly orderId: string) {}
}

/** `orders.order.placed` as a newer publisher would send it: version 2, unknown to the fixture listeners. */
@ModuleEvent({ name: 'orders.order.placed', version: 2 })
export class OrderPlacedV2 {
  constructor(
    readonly orderId: string,
    readonly total: number,
    readonly currency: string,
  ) {}
}

/** The two process groups of the tests: A hosts `audit`, B hosts `invoicing`; both know `orders`. */
export const GROUP_A: Array<Type<unknown>> = [OrdersModule, AuditModule];
export const GROUP_B: Array<Type<unknown>> = [OrdersModule, InvoicingModule];

export function uniqueNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A real app with the relay on, dispatching (and so consuming) in the background. */
export async function bootRelayApp(options: {
  project: TempProject;
  database: Database;
  modules: Array<Type<unknown>>;
  namespace: string;
  origin: string;
  servers?: string;
  events?: EventsOptions;
}): Promise<INestApplication> {
  return bootEvents({
    project: options.project,
    database: options.database,
    modules: options.modules,
    events: {
      dispatch: true,
      backoffMs: 20,
      maxBackoffMs: 200,
      pollMs: 50,
      // The development broker has no authorization: opt into relaying without a credential.
      relay: { servers: options.servers ?? SHARED_NATS, namespace: options.namespace, origin: options.origin, insecure: true },
      ...options.events,
    },
  });
}

/** Why NATS with JetStream cannot be used here, or undefined. */
export async function natsUnavailable(url = SHARED_NATS): Promise<string | undefined> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers: url, timeout: 2000, reconnect: false });
    await (await jetstreamManager(nc)).getAccountInfo();
    return undefined;
  } catch (error) {
    return `NATS with JetStream is not reachable at ${url}: ${(error as Error).message}`;
  } finally {
    await nc?.close();
  }
}

/** Skips (with the reason printed) or, under MODULITH_REQUIRE_SERVICES=1, fails. */
export function skipOrFail(reason: string | undefined): boolean {
  if (!reason) return false;
  if (requireServices) throw new Error(`required service missing (MODULITH_REQUIRE_SERVICES=1): ${reason}`);
  console.warn(`skipping relay tests: ${reason}`);
  return true;
}

/** A NATS client of the test's own, for looking at and tampering with the relay's stream. */
export async function natsClient(url = SHARED_NATS): Promise<{ nc: NatsConnection; jsm: JetStreamManager; close(): Promise<void> }> {
  const nc = await connect({ servers: url, timeout: 2000 });
  const jsm = await jetstreamManager(nc);
  return { nc, jsm, close: () => nc.close() };
}

export async function deleteStream(namespace: string, url = SHARED_NATS): Promise<void> {
  const client = await natsClient(url).catch(() => undefined);
  if (!client) return;
  try {
    await client.jsm.streams.delete(relayNames(namespace, '-').stream).catch(() => undefined);
  } finally {
    await client.close();
  }
}

/** Messages of an origin's consumer not yet acknowledged (waiting or in flight). */
export async function unacknowledged(jsm: JetStreamManager, namespace: string, origin: string): Promise<number> {
  const names = relayNames(namespace, origin);
  const info = await jsm.consumers.info(names.stream, names.durable);
  return info.num_pending + info.num_ack_pending;
}

/**
 * Everything in flight has landed: every app's outbox has no pending delivery (so the relay
 * deliveries are in the stream) and every origin's consumer has acknowledged every message
 * (so the imports are committed), twice in a row, across all apps.
 */
export async function settled(jsm: JetStreamManager, namespace: string, apps: Array<{ app: INestApplication; origin: string }>): Promise<boolean> {
  for (let round = 0; round < 2; round++) {
    for (const { app, origin } of apps) {
      if ((await app.get(EventPublicationRegistry).counts()).pending > 0) return false;
      if ((await unacknowledged(jsm, namespace, origin)) > 0) return false;
    }
  }
  return true;
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function connected(app: INestApplication): Promise<void> {
  return app.get(EventRelay).whenConnected();
}

/** A free TCP port on loopback (bound and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A nats-server of the test's own with JetStream stored in a directory that survives restarts:
 * `kill` (SIGKILL) then `start` again on the same port brings back the same streams.
 */
export class OwnNatsServer {
  readonly storeDir = mkdtempSync(join(tmpdir(), 'modulith-nats-'));
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static available(): string | undefined {
    return existsSync(NATS_SERVER_BIN) ? undefined : `${NATS_SERVER_BIN} is not installed`;
  }

  static async create(): Promise<OwnNatsServer> {
    return new OwnNatsServer(await freePort());
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(NATS_SERVER_BIN, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: 'ignore' });
    this.child = child;
    await until(async () => child.exitCode === null && (await accepts(this.port)), 10_000, `nats-server on port ${this.port}`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
    socket.connect(port, '127.0.0.1');
  });
}
