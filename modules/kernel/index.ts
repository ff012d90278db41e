// Public API of the shared kernel: request identity only. Any module may use it without listing
// it in dependsOn ("shared": true); it must never grow into a home for business logic.
export { type RequestIdentity, setRequestIdentity, getRequestIdentity } from './request-identity.js';
export { type ApiKeyPolicy, API_KEY_POLICY, RequiresApiKey, AcceptsApiKey, apiKeyPolicyOf } from './api-key.decorators.js';
export { CurrentAccount } from './current-account.decorator.js';
