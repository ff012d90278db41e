// Public API of the shared kernel: request identity, and the outbound address policy (which
// hosts a user-chosen URL such as a webhook may reach). Any module may use it without listing it
// in dependsOn ("shared": true); it must never grow into a home for business logic.
export { type RequestIdentity, setRequestIdentity, getRequestIdentity } from './request-identity.js';
export { type ApiKeyPolicy, API_KEY_POLICY, RequiresApiKey, AcceptsApiKey, apiKeyPolicyOf } from './api-key.decorators.js';
export { CurrentAccount } from './current-account.decorator.js';
export { type AddressKind, type AddressClass, classifyAddress, describeAddress } from './ip-address-class.js';
export { OutboundAddressPolicy } from './outbound-address-policy.js';
