import { Body, Controller, Post } from '@nestjs/common';
import { AccountsService, type CreatedAccount } from './accounts.service.js';
import { CreateAccountDto } from './create-account.dto.js';

/** `/accounts/*`: signing up needs no key (it is how a key is obtained). */
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  create(@Body() body: CreateAccountDto): Promise<CreatedAccount> {
    return this.accounts.create(body);
  }
}
