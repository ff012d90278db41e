import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { BillingFacade } from '../billing/index.js';
import { AccountsFacade, type AccountRef, type WebhookTarget } from './accounts.facade.js';
import { AccountsSettings } from './accounts.settings.js';
import { Account } from './account.entity.js';
import { hashApiKey, newApiKey, newWebhookSecret } from './credentials.js';

export interface NewAccount {
  name: string;
  webhookUrl?: string;
}

/** What the creator of an account sees, once: the only time the API key is ever returned. */
export interface CreatedAccount {
  id: string;
  apiKey: string;
  webhookSecret: string;
  credits: number;
}

@Injectable()
export class AccountsService implements AccountsFacade {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly billing: BillingFacade,
    private readonly settings: AccountsSettings,
  ) {}

  async create({ name, webhookUrl }: NewAccount): Promise<CreatedAccount> {
    const apiKey = newApiKey();
    const account = await this.accounts.save(
      this.accounts.create({
        id: randomUUID(),
        name,
        apiKeyHash: hashApiKey(apiKey),
        webhookUrl: webhookUrl ?? null,
        webhookSecret: newWebhookSecret(),
        createdAt: new Date(),
      }),
    );
    // Billing owns credits; opening the balance is idempotent, so a retry after a crash is safe.
    const balance = await this.billing.openAccount({ accountId: account.id, initialCredits: this.settings.startingCredits });
    return { id: account.id, apiKey, webhookSecret: account.webhookSecret, credits: balance.credits };
  }

  async authenticate(apiKey: string): Promise<AccountRef | null> {
    const account = await this.accounts.findOneBy({ apiKeyHash: hashApiKey(apiKey) });
    return account ? { id: account.id, name: account.name } : null;
  }

  async webhookTarget(accountId: string): Promise<WebhookTarget | null> {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account?.webhookUrl) return null;
    return { accountId: account.id, url: account.webhookUrl, secret: account.webhookSecret };
  }
}
