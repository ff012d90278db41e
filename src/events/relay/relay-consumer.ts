import { Logger } from '@nestjs/common';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import type { ListenerRegistry } from '../listener-registry.js';
import type { OutboxDispatcher } from '../outbox-dispatcher.js';
import type { OutboxStore } from '../outbox-store.js';
import { runTransaction } from '../transactions.js';
import { uuid7 } from '../uuid7.js';
import type { EventContractCheck } from './event-contracts.js';
import { describe, type RelayLink } from './relay-connection.js';
import { readRelayed } from './relay-message.js';
import type { RelayNames } from './relay-names.js';

const NAK_DELAY_MS = 1_000;
/** A message refused for contract skew is offered again after 2 s, doubling per delivery up to 60 s. */
const SKEW_DELAY_MS = 2_000;
const SKEW_MAX_DELAY_MS = 60_000;

/** What happened to one relayed message; for logs and tests. */
export type ReceiveOutcome = 'imported' | 'duplicate' | 'own' | 'no-listener' | 'invalid' | 'failed' | 'skew';

/**
 * Imports events published by other process groups into this process's outbox, through the
 * group's durable consumer. Each message is acknowledged only after its event is committed
 * here (a crash before that means redelivery); an event id seen before is skipped, so
 * listeners run once per event however often it arrives.
 */
export class RelayConsumer {
  private readonly logger = new Logger('ModulithEvents');
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly names: RelayNames,
    private readonly origin: string,
    private readonly dataSource: DataSource,
    private readonly store: OutboxStore,
    private readonly registry: ListenerRegistry,
    private readonly dispatcher: OutboxDispatcher,
    private readonly contracts?: EventContractCheck,
  ) {}

  async start(link: RelayLink): Promise<void> {
    await this.stop();
    const consumer = await link.js.consumers.get(this.names.stream, this.names.durable);
    const messages = await consumer.consume({ max_messages: 100 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const msg of messages) await this.receive(msg);
    })().catch((error) => this.logger.error(`relay consumer ${this.names.durable} stopped: ${describe(error)}`));
  }

  async stop(): Promise<void> {
    const messages = this.messages;
    this.messages = undefined;
    if (messages) await messages.close().catch(() => undefined);
    await this.loop;
    this.loop = undefined;
  }

  /** Handles one message: import, skip, or leave it for redelivery. Never throws. */
  async receive(msg: Pick<JsMsg, 'headers' | 'string' | 'ack' | 'nak' | 'term' | 'subject'> & { info?: { deliveryCount?: number } }): Promise<ReceiveOutcome> {
    const relayed = readRelayed(msg.headers, msg.string());
    if (typeof relayed === 'string') {
      this.logger.warn(`relay: dropping message on ${msg.subject}, not a relayed module event: ${relayed}`);
      settle(() => msg.term());
      return 'invalid';
    }
    // Our own group's events got local deliveries when they were published here.
    if (relayed.origin === this.origin) {
      settle(() => msg.ack());
      return 'own';
    }
    // Nobody here listens: nothing to record. An event whose name is unknown here lands here
    // too; a known name with another version is imported, and its delivery fails visibly.
    const listeners = this.registry.listenersOf(relayed.event.name);
    if (listeners.length === 0) {
      settle(() => msg.ack());
      return 'no-listener';
    }
    // The publisher's contract of the event against this build's (see event-contracts.ts): a
    // breaking skew leaves the message to JetStream, to be offered again (after a redeploy).
    const verdict = this.contracts?.check(relayed.event, relayed.origin, msg.headers);
    if (verdict && verdict.action !== 'import') {
      if (verdict.action === 'terminate') settle(() => msg.term());
      else settle(() => msg.nak(skewDelay(msg.info?.deliveryCount)));
      return verdict.action === 'terminate' ? 'invalid' : 'skew';
    }
    const now = Date.now();
    const deliveries = listeners.map((listener) => ({ id: uuid7(now), eventId: relayed.event.id, listener: listener.id, createdAt: now }));
    let imported: boolean;
    try {
      imported = await runTransaction(this.dataSource, (manager) => this.store.importRelayed(manager, relayed.event, deliveries, now));
    } catch (error) {
      this.logger.error(`relay: cannot import event ${relayed.event.id} (${relayed.event.name}), will be redelivered: ${describe(error)}`);
      settle(() => msg.nak(NAK_DELAY_MS));
      return 'failed';
    }
    settle(() => msg.ack());
    if (imported) this.dispatcher.wake();
    return imported ? 'imported' : 'duplicate';
  }
}

function skewDelay(deliveryCount: number | undefined): number {
  const count = Number.isInteger(deliveryCount) && deliveryCount! > 0 ? deliveryCount! : 1;
  return Math.min(SKEW_MAX_DELAY_MS, SKEW_DELAY_MS * 2 ** Math.min(10, count - 1));
}

/*
 * Messages are terminated without a reason: nats-server 2.9 does not take `+TERM <reason>` as an
 * acknowledgement and leaves the message pending for ever. The reason is logged instead.
 */

/**
 * Acks go out fire-and-forget and throw only when the connection is already closed (shutdown):
 * the message is then redelivered later, which the import's duplicate check absorbs.
 */
function settle(reply: () => void): void {
  try {
    reply();
  } catch {
    // See above: redelivery is the recovery.
  }
}
