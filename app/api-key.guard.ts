import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountsFacade } from '../modules/accounts/index.js';
import { apiKeyPolicyOf, setRequestIdentity } from '../modules/kernel/index.js';

/**
 * The app-wide authentication step (registered as APP_GUARD). It lives in the shell, not in a
 * module: every module may declare @RequiresApiKey() through the shared kernel, while only the
 * shell depends on accounts, so billing never has to depend on accounts (which depends on billing).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsFacade,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = apiKeyPolicyOf(this.reflector, context);
    if (!policy) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey) {
      if (policy === 'optional') return true;
      throw new UnauthorizedException('missing x-api-key header');
    }
    const account = await this.accounts.authenticate(apiKey);
    if (!account) throw new UnauthorizedException('unknown API key');
    setRequestIdentity(request, { accountId: account.id });
    return true;
  }
}
