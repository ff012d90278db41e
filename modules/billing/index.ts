// Public API of billing: its Nest module, its facade (contract + DI token), the facade's plain
// data types and the errors its callers must recognise.
export { BillingModule } from './billing.module.js';
export {
  BillingFacade,
  type BalanceView,
  type StatementView,
  type LedgerEntryView,
  type LedgerReason,
  type OpenAccountInput,
  type ChargeInput,
  type RefundInput,
} from './billing.facade.js';
export { InsufficientCreditsError } from './insufficient-credits.error.js';
export { ChargeExpiredError } from './charge-expired.error.js';
