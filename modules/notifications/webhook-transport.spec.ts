import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OutboundAddressPolicy } from '../kernel/index.js';
import { guardedLookup, postWebhook, WebhookAddressRefused } from './webhook-transport.js';

/** A real HTTP server on 127.0.0.1 that counts connections and requests and answers `status` (with `location`). */
class Target {
  connections = 0;
  requests: Array<{ method: string; url: string; body: string }> = [];
  status = 204;
  location: string | undefined;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Target> {
    let target!: Target;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        target.requests.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString() });
        res.writeHead(target.status, target.location ? { location: target.location } : {}).end();
      });
    });
    server.on('connection', () => target.connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = new Target(server);
    return target;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  reset(): void {
    this.connections = 0;
    this.requests = [];
    this.status = 204;
    this.location = undefined;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const post = (url: string, policy: OutboundAddressPolicy) =>
  postWebhook(new URL(url), policy, { headers: { 'content-type': 'application/json' }, body: '{"id":"e1"}', signal: AbortSignal.timeout(5_000) });

describe('webhook transport: the address connected to is the address checked', () => {
  let target: Target;
  let internal: Target;

  beforeAll(async () => {
    target = await Target.start();
    internal = await Target.start();
  });
  afterAll(async () => {
    await target.close();
    await internal.close();
  });
  beforeEach(() => {
    target.reset();
    internal.reset();
  });

  it('refuses a name that resolves to loopback when the allow-list does not cover it, before any connection', async () => {
    for (const policy of [OutboundAddressPolicy.strict, OutboundAddressPolicy.allowing(['10.0.0.0/8', 'hooks.internal'])]) {
      const refusal = post(`http://localhost:${target.port}/hooks`, policy);
      await expect(refusal).rejects.toBeInstanceOf(WebhookAddressRefused);
      await expect(refusal).rejects.toThrow('localhost resolves to no public address: 127.0.0.1 is a loopback address (127.0.0.0/8)');
    }
    expect(target.connections).toBe(0);
  });

  it('connects when the resolved address is allowed, or when the name itself is (its DNS answers are then trusted)', async () => {
    expect(await post(`http://localhost:${target.port}/hooks`, OutboundAddressPolicy.allowing(['127.0.0.1']))).toBe(204);
    expect(await post(`http://localhost:${target.port}/hooks`, OutboundAddressPolicy.allowing(['127.0.0.0/8']))).toBe(204);
    expect(await post(`http://localhost:${target.port}/hooks`, OutboundAddressPolicy.allowing(['localhost']))).toBe(204);
    expect(target.requests).toEqual(Array.from({ length: 3 }, () => ({ method: 'POST', url: '/hooks', body: '{"id":"e1"}' })));
  });

  it('never follows a redirect: the 3xx is the answer, and the target it names gets nothing', async () => {
    const policy = OutboundAddressPolicy.allowing(['127.0.0.1']);
    for (const status of [301, 302, 303, 307, 308]) {
      target.status = status;
      target.location = `http://127.0.0.1:${internal.port}/internal`;
      expect(await post(`http://127.0.0.1:${target.port}/hooks`, policy)).toBe(status);
    }
    expect(target.requests).toHaveLength(5);
    expect(internal.connections).toBe(0);
    expect(internal.requests).toEqual([]);
  });

  it('answers lookups of either form (all: true for Happy Eyeballs, a single address otherwise) with permitted addresses only', async () => {
    const lookup = guardedLookup(OutboundAddressPolicy.allowing(['127.0.0.1']));
    const all = await new Promise<unknown>((resolve, reject) => lookup('localhost', { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
    expect(all).toEqual([{ address: '127.0.0.1', family: 4 }]);
    const one = await new Promise<unknown>((resolve, reject) =>
      lookup('localhost', { family: 4 }, (error, address, family) => (error ? reject(error) : resolve({ address, family }))),
    );
    expect(one).toEqual({ address: '127.0.0.1', family: 4 });
    const refused = await new Promise<Error | null>((resolve) => guardedLookup(OutboundAddressPolicy.strict)('localhost', { all: true }, (error) => resolve(error)));
    expect(refused).toBeInstanceOf(WebhookAddressRefused);
  });

  it('passes DNS failures through unchanged', async () => {
    await expect(post('http://does-not-exist.invalid/hooks', OutboundAddressPolicy.strict)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
