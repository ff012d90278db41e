import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NatsContext, ServerNats } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
// This file is loaded only through loadBrokerServer() (remote/index.ts): @nestjs/microservices is
// an optional peer, needed only by a process whose topology has a broker.
import { natsConnectOptions, printableUrl, subjects, type BrokerOptions } from './broker-options.js';
import { CONTRACT_SKEW, MAX_HEADER_BYTES, servedContractCheck } from './contract-skew.js';
import { facadeCallHandler, refusedCall, type CallReply, type ServedFacade } from './facade-server.js';
import { methodSubjectHandler } from './facade-subjects.js';
import { tracedReplay } from './gateway-spans.js';
import { httpErrorResponse, type HttpRequestHandler } from './http-gateway.js';
import { readRequestPacket, replyPacket } from './request-packet.js';
import { RECONNECT_PAUSE_MS, WakeableSleep } from './wakeable-sleep.js';
import { logWireErrors, toWireError, type WireError } from './wire-error.js';

/** Nest's NATS server, narrowed to the subjects the framework builds itself. */
class FacadeServerNats extends ServerNats {
  // Our subjects are plain strings: skip Nest's attempt to JSON.parse each one (a throw and a
  // catch per message, about a third of the serving side's CPU per call).
  override getHandlerByPattern(pattern: string): ReturnType<ServerNats['getHandlerByPattern']> {
    return this.messageHandlers.get(pattern) ?? null;
  }

  // Facade and HTTP calls are requests: a packet without a reply id (a Nest "event") runs nothing.
  override async handleEvent(): Promise<void> {}

  /** Waits until the broker has every subscription sent so far (a failed flush: the connection's own retry takes over). */
  async flush(): Promise<void> {
    try {
      await this.unwrap<{ flush(): Promise<void> }>().flush();
    } catch {
      // not connected (unwrap throws) or the flush failed: nothing more to wait for
    }
  }

  /** The subjects (handler patterns) answered as HTTP requests; every other one is a facade's. */
  readonly httpPatterns = new Set<string>();
  private readonly log = new Logger('BrokerServer');
  private readonly logErrors = logWireErrors(this.log);

  /**
   * Replaces Nest's handling of a message, which answers nothing when the bytes are no JSON, the
   * packet is null, an array or a string, it has no id, or the handler throws: the caller then
   * waits for its timeout. Here every request (a message with a reply subject) gets exactly one
   * reply: the handler's answer, or an error in the shape the caller reads (a CallReply for a
   * facade, a JSON error response for HTTP). A message without a reply subject runs nothing.
   */
  override async handleMessage(channel: string, message: Msg): Promise<void> {
    if (!message.reply) return;
    const http = this.httpPatterns.has(channel);
    const refuse = (reason: string) => (http ? httpErrorResponse(400, `malformed forwarded request: ${reason}`) : refusedCall(reason, message.subject));
    // Bounded before the headers are decoded (below, for the handler's context): nats.js decodes
    // a header block in time quadratic in its number of keys, so a 400 kB block of distinct keys
    // would hold this process for seconds. No request of ours carries more than a few dozen bytes.
    const headerBytes = headerBlockSize(message);
    if (headerBytes > MAX_HEADER_BYTES) {
      this.reply(message, null, refuse(`the message carries ${headerBytes} bytes of headers; at most ${MAX_HEADER_BYTES} are read`), http);
      return;
    }
    const packet = readRequestPacket(message.data);
    let id: string | number | null = null;
    let response: unknown;
    if ('refused' in packet) {
      if (http) this.log.warn(`refused a forwarded request on ${message.subject}: ${packet.refused}`);
      response = refuse(packet.refused);
    } else {
      id = packet.id;
      const handler = this.messageHandlers.get(channel);
      try {
        response = handler ? await handler(packet.data, new NatsContext([message.subject, message.headers])) : refuse(`nothing serves ${message.subject}`);
      } catch (error) {
        response = http ? this.httpFailure(error, message.subject) : { ok: false, error: toWireError(error, undefined, this.logErrors) };
      }
      if (!http) response = this.withErrorId(response, message.subject);
    }
    this.reply(message, id, response, http);
  }

  /** A refused facade call answered without an error id (e.g. by the method-subject check) gets one, logged with it. */
  private withErrorId(response: unknown, subject: string): unknown {
    const reply = response as { ok?: unknown; error?: WireError } | null;
    if (reply?.ok !== false || !reply.error || typeof reply.error !== 'object' || reply.error.errorId) return response;
    // A contract skew answer is part of the protocol (the caller resends or refuses), logged once per caller contract by the check.
    if (reply.error.code === CONTRACT_SKEW) return response;
    const errorId = randomUUID();
    this.log.warn(`error id ${errorId}: refused a call on ${subject} from the broker: ${reply.error.message}`);
    return { ...reply, error: { ...reply.error, errorId } };
  }

  private httpFailure(error: unknown, subject: string): unknown {
    this.log.error(`the HTTP request on ${subject} failed: ${(error as Error)?.message ?? 'unknown error'}`, (error as Error)?.stack);
    return httpErrorResponse(502, 'the forwarded request could not be replayed');
  }

  /** Sends the reply; one the broker does not take (e.g. larger than its max_payload) is replaced by an error. */
  private reply(message: Msg, id: string | number | null, response: unknown, http: boolean): void {
    try {
      message.respond(replyPacket(id, response));
      return;
    } catch (error) {
      const reason = `the reply to ${message.subject} could not be sent: ${(error as Error)?.message ?? 'unknown error'}`;
      this.log.error(reason);
      const fallback = http
        ? httpErrorResponse(502, 'the response could not be sent over the broker (too large?)')
        : { ok: false, error: toWireError(new Error(reason), undefined, this.logErrors) };
      try {
        message.respond(replyPacket(id, fallback));
      } catch (again) {
        this.log.error(`no reply could be sent to ${message.subject}: ${(again as Error)?.message ?? 'unknown error'}`);
      }
    }
  }
}

/**
 * The bytes of a message's header block, without decoding it: nats.js' message size (subject,
 * reply, headers and payload; `size()` of its MsgImpl, not declared on the Msg interface) less
 * the rest. The hostile-header test fails if a nats.js upgrade drops it.
 */
function headerBlockSize(message: Msg): number {
  const sized = message as Msg & { size?: () => number };
  if (typeof sized.size !== 'function') return 0;
  const size = sized.size() - (message.data?.length ?? 0) - Buffer.byteLength(message.subject ?? '') - Buffer.byteLength(message.reply ?? '');
  return Number.isFinite(size) && size > 0 ? size : 0;
}

/**
 * The serving side of the broker: a @nestjs/microservices NATS server answering the facades of
 * the modules this process hosts (and their HTTP routes, for the gateway). Instances of the same
 * module share a queue group, so each call reaches exactly one of them.
 */
export class BrokerServer {
  private readonly logger = new Logger('BrokerServer');
  private readonly server: FacadeServerNats;
  private listening: Promise<void> | undefined;
  private closed = false;
  private readonly pause = new WakeableSleep();

  constructor(private readonly options: BrokerOptions) {
    this.server = new FacadeServerNats({ ...natsConnectOptions(options), queue: `${options.namespace}.servers` } as ConstructorParameters<typeof ServerNats>[0]);
  }

  serveFacade(served: ServedFacade): void {
    const call = facadeCallHandler(served);
    // The contract check runs before the facade's own handler (and after the method-subject check).
    const check = served.contract && servedContractCheck(served.contract);
    const handler = check
      ? (payload: unknown, context?: { getHeaders?(): unknown }): Promise<CallReply> => {
          const answer = check(context, payload);
          return answer ? Promise.resolve(answer) : call(payload, context);
        }
      : call;
    const subject = subjects.facade(this.options.namespace, served.module, served.facade.name);
    this.server.addHandler(subject, handler, false);
    // `<subject>.<method>`: what clients call, so the broker can allow callers method by method.
    this.server.addHandler(`${subject}.*`, methodSubjectHandler(subject, served.facade.name, handler), false);
  }

  serveHttp(module: string, handler: HttpRequestHandler): void {
    const subject = subjects.http(this.options.namespace, module);
    this.server.httpPatterns.add(subject);
    this.server.addHandler(subject, tracedReplay(module, handler), false);
  }

  /** Connects and subscribes, retrying while the broker is away; resolves once subscribed (or closed). */
  listen(): Promise<void> {
    this.listening ??= this.listenUntilClosed();
    return this.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pause.wake();
    await this.server.close();
  }

  private async listenUntilClosed(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      const error = await new Promise<unknown>((resolve) => this.server.listen((failure?: unknown) => resolve(failure)));
      if (!error) {
        // Closed while the attempt was under way: the connection it opened must not outlive us.
        if (this.closed) await this.server.close();
        // Nest subscribes without waiting for the broker: flush (a round trip) so that once we
        // resolve, the subscriptions are live and the first call is answered, not "no responders".
        else await this.server.flush();
        return;
      }
      if (attempt === 1 && !this.closed) this.logger.error(`cannot serve on the broker at ${printableUrl(this.options)}: ${(error as Error)?.message ?? error} (retrying)`);
      await this.pause.sleep(RECONNECT_PAUSE_MS);
    }
  }
}
