import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/** How a route treats the x-api-key header: 'required' (401 without a valid key) or 'optional'. */
export type ApiKeyPolicy = 'required' | 'optional';

export const API_KEY_POLICY = 'nest-modulith:api-key-policy';

/** The route (or every route of the controller) answers 401 without a valid x-api-key. */
export const RequiresApiKey = (): ClassDecorator & MethodDecorator => SetMetadata(API_KEY_POLICY, 'required');

/**
 * The route works without a key, but when one is sent it must be valid, and @CurrentAccount()
 * then holds its account (e.g. to hide another account's resources).
 */
export const AcceptsApiKey = (): ClassDecorator & MethodDecorator => SetMetadata(API_KEY_POLICY, 'optional');

/** The policy of the handler being executed (method metadata wins over class metadata). */
export function apiKeyPolicyOf(reflector: Reflector, context: ExecutionContext): ApiKeyPolicy | undefined {
  return reflector.getAllAndOverride<ApiKeyPolicy | undefined>(API_KEY_POLICY, [context.getHandler(), context.getClass()]);
}
