/** Why credits moved. A job's charge and its refund are each recorded at most once. */
export type LedgerReason = 'grant' | 'job-charge' | 'job-refund';

export interface LedgerEntryView {
  /** Signed: positive adds credits, negative removes them. */
  amount: number;
  reason: LedgerReason;
  jobId?: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface BalanceView {
  accountId: string;
  credits: number;
}

export interface StatementView extends BalanceView {
  /** Oldest first. */
  ledger: LedgerEntryView[];
}

export interface OpenAccountInput {
  accountId: string;
  /** Credits granted when the balance is opened. */
  initialCredits: number;
}

export interface ChargeInput {
  accountId: string;
  /** The idempotency key: charging the same job again charges nothing more. */
  jobId: string;
  amount: number;
  /**
   * ISO 8601. A charge that reaches billing after this instant does nothing and throws
   * ChargeExpiredError, so a caller that gave up on a call (it timed out, or the caller's claim on
   * the job ran out) knows the call cannot land later, once someone else has decided the job's fate.
   */
  notAfter?: string;
}

export interface RefundInput {
  accountId: string;
  jobId: string;
}

import { Facade } from 'nest-modulith';

/**
 * Billing's public contract and DI token. Every method takes and returns plain JSON data, so a
 * remote implementation can replace the in-process one without changing callers.
 */
@Facade<BillingFacade>({ openAccount: true, charge: true, refund: true, statement: true })
export abstract class BillingFacade {
  /** Creates the account's balance with its starting grant; calling it again changes nothing. */
  abstract openAccount(input: OpenAccountInput): Promise<BalanceView>;

  /**
   * Takes `amount` credits for a job. Idempotent per job: a second charge of the same job returns
   * the balance unchanged (also once the job is refunded: a job is charged at most once). Throws
   * InsufficientCreditsError when the balance is too low, ChargeExpiredError after `notAfter`.
   */
  abstract charge(input: ChargeInput): Promise<BalanceView>;

  /** Gives back what the job was charged. Idempotent: a job is refunded at most once; no charge, no refund. */
  abstract refund(input: RefundInput): Promise<BalanceView>;

  /** The balance and its ledger; credits 0 and an empty ledger for an account without a balance. */
  abstract statement(accountId: string): Promise<StatementView>;
}
