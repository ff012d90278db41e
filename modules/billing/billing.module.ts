import { TypeOrmModule } from '@nestjs/typeorm';
import { FeatureModule } from 'nest-modulith';
import { ModulithCacheModule } from 'nest-modulith/cache';
import { BalanceController } from './balance.controller.js';
import { BillingFacade } from './billing.facade.js';
import { BillingTransactions } from './billing-transactions.js';
import { BillingService } from './billing.service.js';
import { CreditBalance } from './credit-balance.entity.js';
import { LedgerEntry } from './ledger-entry.entity.js';
import { RefundFailedJobs } from './refund-failed-jobs.listener.js';

@FeatureModule({
  name: 'billing',
  imports: [TypeOrmModule.forFeature([CreditBalance, LedgerEntry]), ModulithCacheModule.forFeature('billing')],
  controllers: [BalanceController],
  providers: [BillingTransactions, BillingService, RefundFailedJobs],
  facades: [{ provide: BillingFacade, useExisting: BillingService }],
})
export class BillingModule {}
