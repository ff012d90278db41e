import { TypeOrmModule } from '@nestjs/typeorm';
import { FeatureModule } from 'nest-modulith';
import { BillingModule } from '../billing/index.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsFacade } from './accounts.facade.js';
import { AccountsService } from './accounts.service.js';
import { Account } from './account.entity.js';

@FeatureModule({
  name: 'accounts',
  imports: [TypeOrmModule.forFeature([Account]), BillingModule],
  controllers: [AccountsController],
  providers: [AccountsService],
  // The facade is the same instance as the service the controller uses.
  facades: [{ provide: AccountsFacade, useExisting: AccountsService }],
})
export class AccountsModule {}
