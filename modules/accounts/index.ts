// Public API of accounts: its Nest module, its facade and data types, and the settings token the
// app shell must provide.
export { AccountsModule } from './accounts.module.js';
export { AccountsFacade, type AccountRef, type WebhookTarget } from './accounts.facade.js';
export { AccountsSettings } from './accounts.settings.js';
