import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AccountsFacade } from '../accounts/index.js';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';

const DELIVERY_TIMEOUT_MS = 5_000;

/** The webhook body: `id` is the event's stable id, the same on every retry. */
export interface WebhookMessage {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * One signed POST to the account's webhook:
 *   POST <webhookUrl>  { "id", "type", "data" }  x-modulith-signature: sha256=<hex>
 * Throws when the receiver is unreachable or answers non-2xx, so the outbox retries it.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly logger = new Logger('notifications');
  // Aborted on shutdown, so a slow receiver never holds the app open.
  private readonly shutdown = new AbortController();

  constructor(private readonly accounts: AccountsFacade) {}

  async send(accountId: string, message: WebhookMessage): Promise<void> {
    const target = await this.accounts.webhookTarget(accountId);
    if (!target) return; // No webhook configured: nothing to deliver.
    const body = JSON.stringify(message);
    try {
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
    } catch (error) {
      const reason = (error as Error).message;
      this.logger.warn(`webhook ${message.type} (event ${message.id}) for account ${accountId} not delivered, will retry: ${reason}`);
      throw new Error(`webhook to ${target.url} failed: ${reason}`);
    }
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
  }
}
