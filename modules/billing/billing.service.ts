import { Injectable } from '@nestjs/common';
import { ModuleCache } from 'nest-modulith/cache';
import { InjectRepository } from '@nestjs/typeorm';
import { FacadeInput, arg } from 'nest-modulith';
import type { Repository } from 'typeorm';
import {
  BillingFacade,
  type BalanceView,
  type ChargeInput,
  type LedgerEntryView,
  type OpenAccountInput,
  type RefundInput,
  type StatementView,
} from './billing.facade.js';
import { BillingTransactions } from './billing-transactions.js';
import { CreditBalance } from './credit-balance.entity.js';
import { ChargeExpiredError } from './charge-expired.error.js';
import { InsufficientCreditsError } from './insufficient-credits.error.js';
import { LedgerEntry } from './ledger-entry.entity.js';

/** The in-process implementation of BillingFacade. The balance row and its ledger change together, in one transaction. */
@Injectable()
export class BillingService implements BillingFacade {
  constructor(
    @InjectRepository(CreditBalance) private readonly balances: Repository<CreditBalance>,
    @InjectRepository(LedgerEntry) private readonly ledger: Repository<LedgerEntry>,
    private readonly transactions: BillingTransactions,
    private readonly cache: ModuleCache,
  ) {}

  /** Billing writes committed in this process so far: a statement read across one is not cached. */
  private writes = 0;

  @FacadeInput(BillingFacade, { input: arg.object({ accountId: arg.id, initialCredits: arg.integer({ min: 0 }) }) })
  async openAccount({ accountId, initialCredits }: OpenAccountInput): Promise<BalanceView> {
    assertWholeAmount(initialCredits, 'initialCredits', { allowZero: true });
    await this.transactions.run(async (manager) => {
      if (await manager.existsBy(CreditBalance, { accountId })) return;
      await manager.insert(CreditBalance, { accountId, credits: initialCredits });
      if (initialCredits > 0) {
        await manager.insert(LedgerEntry, { accountId, amount: initialCredits, reason: 'grant', jobId: null, createdAt: new Date() });
      }
    });
    await this.forgetStatement(accountId);
    return this.balanceOf(accountId);
  }

  @FacadeInput(BillingFacade, {
    input: arg.object({ accountId: arg.id, jobId: arg.id, amount: arg.integer({ min: 1 }), notAfter: arg.optional(arg.dateTime) }),
  })
  async charge({ accountId, jobId, amount, notAfter }: ChargeInput): Promise<BalanceView> {
    assertWholeAmount(amount, 'amount');
    const deadline = notAfter === undefined ? undefined : parseDeadline(notAfter);
    // The callback reports "insufficient" or "expired" instead of throwing: a throw would roll
    // back, and on SQLite's single shared connection a rollback could also undo another module's write.
    const outcome = await this.idempotent(this.transactions.run(async (manager): Promise<'charged' | 'insufficient' | 'expired'> => {
      // Checked inside the transaction, just before the write: a call that queued or waited for
      // a lock past its deadline must not land.
      if (deadline !== undefined && Date.now() > deadline) return 'expired';
      if (await manager.existsBy(LedgerEntry, { jobId, reason: 'job-charge' })) return 'charged';
      const taken = await manager
        .createQueryBuilder()
        .update(CreditBalance)
        .set({ credits: () => 'credits - :amount' })
        .where('account_id = :accountId AND credits >= :amount', { accountId, amount })
        .execute();
      if (!taken.affected) return 'insufficient';
      await manager.insert(LedgerEntry, { accountId, amount: -amount, reason: 'job-charge', jobId, createdAt: new Date() });
      return 'charged';
    }), 'charged' as const);
    if (outcome === 'charged') await this.forgetStatement(accountId);
    if (outcome === 'expired') throw new ChargeExpiredError(jobId, notAfter!);
    // "Not covered" may also mean a concurrent charge of this same job took the credits first
    // (on PostgreSQL our UPDATE waited for its lock, then saw the lower balance): that job is paid.
    const charged = outcome === 'charged' || (await this.ledger.existsBy({ jobId, reason: 'job-charge' }));
    const balance = await this.balanceOf(accountId);
    if (!charged) throw new InsufficientCreditsError(accountId, amount, balance.credits);
    return balance;
  }

  @FacadeInput(BillingFacade, { input: arg.object({ accountId: arg.id, jobId: arg.id }) })
  async refund({ accountId, jobId }: RefundInput): Promise<BalanceView> {
    await this.idempotent(this.transactions.run(async (manager) => {
      const charge = await manager.findOneBy(LedgerEntry, { jobId, reason: 'job-charge', accountId });
      if (!charge) return;
      if (await manager.existsBy(LedgerEntry, { jobId, reason: 'job-refund' })) return;
      const amount = -charge.amount;
      await manager
        .createQueryBuilder()
        .update(CreditBalance)
        .set({ credits: () => 'credits + :amount' })
        .where('account_id = :accountId', { accountId, amount })
        .execute();
      await manager.insert(LedgerEntry, { accountId, amount, reason: 'job-refund', jobId, createdAt: new Date() });
    }), undefined);
    await this.forgetStatement(accountId);
    return this.balanceOf(accountId);
  }

  @FacadeInput(BillingFacade, { accountId: arg.id })
  async statement(accountId: string): Promise<StatementView> {
    const key = statementKey(accountId);
    const cached = await this.cache.get<StatementView>(key).catch(() => undefined);
    if (cached) return cached;
    const writes = this.writes;
    const [balance, entries] = await Promise.all([
      this.balanceOf(accountId),
      this.ledger.find({ where: { accountId }, order: { id: 'ASC' } }),
    ]);
    const view = { ...balance, ledger: entries.map(toLedgerEntryView) };
    // A write that committed while this read ran has already forgotten the key: do not put an older view back.
    if (writes === this.writes) await this.cache.set(key, view, STATEMENT_TTL_MS).catch(() => undefined);
    return view;
  }

  /** After a committed change of the account's balance: the next statement is read from the database. */
  private async forgetStatement(accountId: string): Promise<void> {
    this.writes++;
    await this.cache.del(statementKey(accountId)).catch(() => undefined);
  }

  /**
   * Two concurrent calls for the same job (PostgreSQL runs them in parallel) both pass the
   * "already done?" check; the unique (job_id, reason) index stops the second, whose transaction
   * rolls back. For that caller the work is done, which is what idempotency promises.
   */
  private async idempotent<T>(work: Promise<T>, alreadyDone: T): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (isUniqueViolation(error)) return alreadyDone;
      throw error;
    }
  }

  private async balanceOf(accountId: string): Promise<BalanceView> {
    const row = await this.balances.findOneBy({ accountId });
    return { accountId, credits: row?.credits ?? 0 };
  }
}

/**
 * Statements are cached (in Redis when REDIS_URL is set, shared by every instance; else in this
 * process) for at most this long: every balance change in this process forgets its account's
 * entry at once, and the TTL bounds what another instance's change leaves behind.
 */
const STATEMENT_TTL_MS = 10_000;

function statementKey(accountId: string): string {
  return `statement:${accountId}`;
}

function toLedgerEntryView(entry: LedgerEntry): LedgerEntryView {
  return {
    amount: entry.amount,
    reason: entry.reason,
    ...(entry.jobId ? { jobId: entry.jobId } : {}),
    createdAt: entry.createdAt.toISOString(),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return code === '23505' /* PostgreSQL */ || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function parseDeadline(notAfter: string): number {
  const deadline = typeof notAfter === 'string' ? Date.parse(notAfter) : Number.NaN;
  if (Number.isNaN(deadline)) throw new RangeError(`notAfter must be an ISO 8601 date-time, got ${JSON.stringify(notAfter)}`);
  return deadline;
}

function assertWholeAmount(value: number, name: string, { allowZero = false } = {}): void {
  if (!Number.isInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`);
  }
}
