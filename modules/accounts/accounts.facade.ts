import { Facade } from 'nest-modulith';

/** An authenticated caller. */
export interface AccountRef {
  id: string;
  name: string;
}

/** Where and how to deliver an account's webhooks. */
export interface WebhookTarget {
  accountId: string;
  url: string;
  /** The HMAC-SHA256 key the receiver uses to verify x-modulith-signature. */
  secret: string;
}

/** Accounts' public contract and DI token (plain JSON in and out). */
@Facade<AccountsFacade>({ authenticate: true, webhookTarget: true })
export abstract class AccountsFacade {
  /** The account an API key belongs to, or null for an unknown key. */
  abstract authenticate(apiKey: string): Promise<AccountRef | null>;

  /** The account's webhook target, or null when it has no webhook URL (or does not exist). */
  abstract webhookTarget(accountId: string): Promise<WebhookTarget | null>;
}
