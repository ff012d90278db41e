import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FacadeInput, arg } from 'nest-modulith';
import type { Repository } from 'typeorm';
import { BillingFacade } from '../billing/index.js';
import { OutboundAddressPolicy } from '../kernel/index.js';
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

const MAX_WEBHOOK_URL_LENGTH = 2000;

@Injectable()
export class AccountsService implements AccountsFacade {
  private readonly webhookPolicy: OutboundAddressPolicy;

  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly billing: BillingFacade,
    private readonly settings: AccountsSettings,
  ) {
    this.webhookPolicy = OutboundAddressPolicy.allowing(settings.webhookAllowedHosts);
  }

  async create({ name, webhookUrl: givenUrl }: NewAccount): Promise<CreatedAccount> {
    const webhookUrl = givenUrl == null ? undefined : this.checkedWebhookUrl(givenUrl);
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

  /**
   * The webhook URL as the WHATWG parser normalises it (what is stored is exactly what was
   * checked), or a 400 in the shape of the validation pipe's, naming the reason. Notifications
   * checks again at delivery, against the address it connects to.
   */
  private checkedWebhookUrl(raw: string): string {
    const problem = this.webhookPolicy.urlProblem(raw);
    if (problem) throw new BadRequestException([`webhookUrl ${problem}`]);
    const normalised = new URL(raw).href;
    // Normalising percent-encodes: the stored form must still fit the column.
    if (normalised.length > MAX_WEBHOOK_URL_LENGTH) throw new BadRequestException([`webhookUrl must be shorter than or equal to ${MAX_WEBHOOK_URL_LENGTH} characters once normalised`]);
    return normalised;
  }

  @FacadeInput(AccountsFacade, { apiKey: arg.string({ maxLength: 512 }) })
  async authenticate(apiKey: string): Promise<AccountRef | null> {
    const account = await this.accounts.findOneBy({ apiKeyHash: hashApiKey(apiKey) });
    return account ? { id: account.id, name: account.name } : null;
  }

  @FacadeInput(AccountsFacade, { accountId: arg.id })
  async webhookTarget(accountId: string): Promise<WebhookTarget | null> {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account?.webhookUrl) return null;
    return { accountId: account.id, url: account.webhookUrl, secret: account.webhookSecret };
  }
}
