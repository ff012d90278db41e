import { TypeOrmModule } from '@nestjs/typeorm';
import { FeatureModule } from 'nest-modulith';
import { BalanceController } from './balance.controller.js';
import { BillingFacade } from './billing.facade.js';
import { BillingTransactions } from './billing-transactions.js';
import { BillingService } from './billing.service.js';
import { CreditBalance } from './credit-balance.entity.js';
import { LedgerEntry } from './ledger-entry.entity.js';

@FeatureModule({
  name: 'billing',
  imports: [TypeOrmModule.forFeature([CreditBalance, LedgerEntry])],
  controllers: [BalanceController],
  providers: [BillingTransactions],
  facades: [{ provide: BillingFacade, useClass: BillingService }],
})
export class BillingModule {}
