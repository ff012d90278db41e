// The CPU work of each side of a remote facade call, measured in one process without a socket,
// so the NATS row can be split into "work on each side" and "getting the bytes across".
import { randomUUID } from 'node:crypto';
import { ServerNats } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import { BrokerClient, facadeCallHandler, remoteFacade } from 'nest-modulith';
import { figures, repeat, timeBatches, type Call } from './measure.js';
import { PricingFacade, PricingService, SAMPLE_INPUT } from './pricing.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Warm, then the p50 per-call time of batches of 100 calls. */
async function p50(call: Call): Promise<number> {
  await timeBatches(repeat(call), 200, 100);
  return figures(await timeBatches(repeat(call), 400, 100), 40_000).p50Ns;
}

/**
 * The calling side: the real remoteFacade and BrokerClient.request (argument checks, Nest's
 * request packet with a fresh id, parsing the reply packet), with the NATS connection replaced by
 * one that answers the canned reply at once. BrokerClient keeps its connection private; the
 * benchmark sets it from outside, which is the only reason for the casts.
 */
export async function callingSide(subject: string, reply: string): Promise<number> {
  const client = new BrokerClient({ url: 'nats://127.0.0.1:1', namespace: subject.split('.')[0], timeoutMs: 5_000 });
  const canned = { string: () => reply } as unknown as Msg;
  Object.assign(client as unknown as Record<string, unknown>, { connected: true, connection: { request: async () => canned } });
  const facade = remoteFacade<PricingFacade>('pricing', PricingFacade, client);
  return p50(() => facade.quote(SAMPLE_INPUT));
}

/**
 * The serving side: the real ServerNats.handleMessage (Nest's deserializer, route lookup, rxjs
 * pipeline, process.nextTick, serializer) around the real facadeCallHandler, fed a message
 * object instead of one read from a socket.
 */
export async function servingSide(subject: string): Promise<number> {
  const server = new ServerNats({ queue: 'bench' } as ConstructorParameters<typeof ServerNats>[0]);
  server.addHandler(subject, facadeCallHandler({ module: 'pricing', facade: PricingFacade, instance: new PricingService() }), false);
  const data = encoder.encode(JSON.stringify({ pattern: subject, data: { method: 'quote', args: [SAMPLE_INPUT] }, id: randomUUID() }));
  return p50(
    () =>
      new Promise<void>((resolve) => {
        const message = {
          subject,
          reply: '_INBOX.bench',
          data,
          headers: undefined,
          json: () => JSON.parse(decoder.decode(data)),
          respond: () => {
            resolve();
            return true;
          },
        };
        void server.handleMessage(subject, message as unknown as Parameters<ServerNats['handleMessage']>[1]);
      }),
  );
}

/**
 * Nest's ServerNats looks a handler up by `JSON.parse(subject)` first (patterns may be JSON
 * objects); a plain subject makes that throw a SyntaxError, caught, on every message.
 */
export async function routeLookup(subject: string): Promise<number> {
  const lookup = (): unknown => {
    try {
      return JSON.parse(subject);
    } catch {
      return subject;
    }
  };
  return p50(async () => lookup());
}
