import { Controller, Get } from '@nestjs/common';
import { CurrentAccount, RequiresApiKey, type RequestIdentity } from '../kernel/index.js';
import { BillingFacade, type LedgerEntryView } from './billing.facade.js';

export interface BalanceResponse {
  credits: number;
  ledger: LedgerEntryView[];
}

/** `/billing/*`: every route of this module sits under its name, so a gateway can route it elsewhere later. */
@Controller('billing')
@RequiresApiKey()
export class BalanceController {
  constructor(private readonly billing: BillingFacade) {}

  @Get('balance')
  async balance(@CurrentAccount() identity: RequestIdentity): Promise<BalanceResponse> {
    const { credits, ledger } = await this.billing.statement(identity.accountId);
    return { credits, ledger };
  }
}
