import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getRequestIdentity, type RequestIdentity } from './request-identity.js';

/**
 * Injects the RequestIdentity the API-key guard resolved, or undefined on a route without a key.
 * On a @RequiresApiKey() route it is always set (the guard answered 401 otherwise).
 */
export const CurrentAccount = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestIdentity | undefined => getRequestIdentity(context.switchToHttp().getRequest()),
);
