import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AccountsFacade } from '../accounts/index.js';
import { OutboundAddressPolicy } from '../kernel/index.js';
import { NotificationsSettings } from './notifications.settings.js';
import { postWebhook, WebhookAddressRefused } from './webhook-transport.js';
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
 * Throws when the receiver is unreachable or answers anything but 2xx (a 3xx included: redirects
 * are never followed), so the outbox retries it. The URL is checked again here (it may predate
 * the signup check, or the allow-list may have changed), and so is every address the connection
 * goes to after DNS: loopback, private, link-local, metadata... are refused unless
 * WEBHOOK_ALLOWED_HOSTS allows them.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly logger = new Logger('notifications');
  // Aborted on shutdown, so a slow receiver never holds the app open.
  private readonly shutdown = new AbortController();
  private readonly policy: OutboundAddressPolicy;

  constructor(
    private readonly accounts: AccountsFacade,
    settings: NotificationsSettings,
  ) {
    this.policy = OutboundAddressPolicy.allowing(settings.webhookAllowedHosts);
  }

  async send(accountId: string, message: WebhookMessage): Promise<void> {
    const target = await this.accounts.webhookTarget(accountId);
    if (!target) return; // No webhook configured: nothing to deliver.
    const body = JSON.stringify(message);
    try {
      const problem = this.policy.urlProblem(target.url, { judgeNames: false });
      if (problem) throw new WebhookAddressRefused(`webhook URL ${problem}`);
      const status = await postWebhook(new URL(target.url), this.policy, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'nest-modulith-webhooks',
          [SIGNATURE_HEADER]: signWebhookBody(body, target.secret),
        },
        body,
        signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      if (status >= 300 && status < 400) throw new Error(`receiver answered HTTP ${status}, a redirect, which is never followed`);
      if (status < 200 || status >= 300) throw new Error(`receiver answered HTTP ${status}`);
    } catch (error) {
      const reason = (error as Error).message;
      this.logger.warn(`webhook ${message.type} (event ${message.id}) for account ${accountId} not delivered, will retry: ${reason}`);
      throw new Error(`webhook to ${printable(target.url)} failed: ${reason}`);
    }
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
  }
}

/** The URL for logs and the outbox's error column: without credentials, query or fragment (they may hold secrets). */
function printable(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(an unparseable URL)';
  }
}
