import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AccountsFacade } from '../accounts/index.js';
import { NotificationsFacade, type AccountEvent, type DeliveryOutcome } from './notifications.facade.js';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';

const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * Direct, best-effort webhook delivery: one POST, no retry. The wire format is already the final
 * one (the later outbox changes when and how often we send, not what):
 *   POST <webhookUrl>  { "id", "type", "data" }  x-modulith-signature: sha256=<hex>
 */
@Injectable()
export class WebhookSenderService implements NotificationsFacade, OnModuleDestroy {
  private readonly logger = new Logger('notifications');
  // Aborted on shutdown, so a slow receiver never holds the app open.
  private readonly shutdown = new AbortController();

  constructor(private readonly accounts: AccountsFacade) {}

  async publish(event: AccountEvent): Promise<DeliveryOutcome> {
    const eventId = randomUUID();
    try {
      const target = await this.accounts.webhookTarget(event.accountId);
      if (!target) return { status: 'skipped', eventId, reason: 'the account has no webhook URL' };
      const body = JSON.stringify({ id: eventId, type: event.type, data: event.data });
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'nest-modulith-webhooks',
          [SIGNATURE_HEADER]: signWebhookBody(body, target.secret),
        },
        body,
        signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      // Drain the body so the connection is released.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`receiver answered HTTP ${response.status}`);
      return { status: 'delivered', eventId, httpStatus: response.status };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`webhook ${event.type} (event ${eventId}) for account ${event.accountId} not delivered: ${message}`);
      return { status: 'failed', eventId, error: message };
    }
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
  }
}
