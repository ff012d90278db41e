import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '../../app/config.js';

/** Read-only SQL on one of the app's databases, from the test process (the app may be dead). */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function openSql(config: DatabaseConfig): Promise<Sql> {
  if (config.type === 'sqlite') {
    const db = new Database(config.path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return {
      query: async <T>(sql: string) => db.prepare(sql).all() as T[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  if (config.schema) await client.query(`SET search_path TO "${config.schema}"`);
  return {
    query: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: () => client.end(),
  };
}

/** Jobs not yet completed or failed, and outbox deliveries not yet done (refunds, relays). */
export async function unsettled(jobs: Sql, others: Sql[]): Promise<{ jobs: number; deliveries: number }> {
  const [open] = await jobs.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM media_jobs WHERE status NOT IN ('completed', 'failed')`);
  let deliveries = 0;
  for (const sql of new Set([jobs, ...others])) {
    const [pending] = await sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM modulith_deliveries WHERE status = 'pending'`);
    deliveries += Number(pending.n);
  }
  return { jobs: Number(open.n), deliveries };
}

export interface LedgerReport {
  jobs: number;
  completed: number;
  failed: number;
  charges: number;
  refunds: number;
  /** Charges whose job does not exist: the credit lost by a crash between the two writes. */
  orphanCharges: string[];
  /** Every broken invariant, in words; empty when the books balance. */
  problems: string[];
}

/**
 * The invariant of job submission: every charge has a job; a job is charged at most once; a
 * completed job is charged and never refunded; a failed job is refunded exactly once when it was
 * charged (and not at all otherwise); every balance equals its starting grant (given once) minus
 * its charges plus its refunds; no job is left unfinished; every job a client was told about (202) exists.
 */
export async function ledgerReport(jobsDb: Sql, billingDb: Sql, options: { accepted?: Iterable<string> } = {}): Promise<LedgerReport> {
  const jobs = await jobsDb.query<{ id: string; account_id: string; status: string }>(`SELECT id, account_id, status FROM media_jobs`);
  const entries = await billingDb.query<{ account_id: string; amount: number; reason: string; job_id: string | null }>(
    `SELECT account_id, amount, reason, job_id FROM billing_ledger_entries`,
  );
  const balances = await billingDb.query<{ account_id: string; credits: number }>(`SELECT account_id, credits FROM billing_balances`);

  const problems: string[] = [];
  const jobById = new Map(jobs.map((job) => [job.id, job]));
  const charges = new Map<string, typeof entries>();
  const refunds = new Map<string, typeof entries>();
  for (const entry of entries) {
    if (entry.reason === 'job-charge') charges.set(entry.job_id!, [...(charges.get(entry.job_id!) ?? []), entry]);
    if (entry.reason === 'job-refund') refunds.set(entry.job_id!, [...(refunds.get(entry.job_id!) ?? []), entry]);
  }

  const orphanCharges: string[] = [];
  for (const [jobId, list] of charges) {
    if (!jobById.has(jobId)) orphanCharges.push(jobId);
    if (list.length > 1) problems.push(`job ${jobId} charged ${list.length} times`);
    if (jobById.has(jobId) && list[0].account_id !== jobById.get(jobId)!.account_id) problems.push(`job ${jobId} charged to another account`);
  }
  for (const jobId of orphanCharges) problems.push(`job ${jobId} was charged but does not exist (lost credit)`);
  for (const [jobId, list] of refunds) {
    const job = jobById.get(jobId);
    if (!job) problems.push(`job ${jobId} was refunded but does not exist`);
    else if (job.status !== 'failed') problems.push(`job ${jobId} was refunded but is ${job.status}`);
    if (list.length > 1) problems.push(`job ${jobId} refunded ${list.length} times`);
    const charge = charges.get(jobId)?.[0];
    if (!charge) problems.push(`job ${jobId} was refunded but never charged`);
    else if (Number(list[0].amount) !== -Number(charge.amount)) problems.push(`job ${jobId} refunded ${list[0].amount} for a charge of ${charge.amount}`);
  }
  for (const job of jobs) {
    const charged = charges.has(job.id);
    const refunded = refunds.has(job.id);
    if (job.status === 'completed' && !charged) problems.push(`job ${job.id} completed without a charge`);
    if (job.status === 'failed' && charged && !refunded) problems.push(`job ${job.id} failed and was charged, but never refunded`);
    if (job.status !== 'completed' && job.status !== 'failed') problems.push(`job ${job.id} is still ${job.status}`);
  }
  for (const id of options.accepted ?? []) {
    if (!jobById.has(id)) problems.push(`job ${id} was accepted (202) but does not exist`);
    else if (!charges.has(id)) problems.push(`job ${id} was accepted (202) but never charged`);
  }
  for (const { account_id: accountId, credits } of balances) {
    const own = entries.filter((e) => e.account_id === accountId);
    const sum = (reason: string) => own.filter((e) => e.reason === reason).reduce((total, e) => total + Number(e.amount), 0);
    const grants = own.filter((e) => e.reason === 'grant');
    const expected = sum('grant') + sum('job-charge') + sum('job-refund');
    if (grants.length > 1) problems.push(`account ${accountId} was granted its starting credits ${grants.length} times`);
    if (Number(credits) !== expected) problems.push(`account ${accountId} holds ${credits} credits, its ledger says ${expected}`);
    if (Number(credits) < 0) problems.push(`account ${accountId} is overdrawn (${credits})`);
  }
  return {
    jobs: jobs.length,
    completed: jobs.filter((j) => j.status === 'completed').length,
    failed: jobs.filter((j) => j.status === 'failed').length,
    charges: [...charges.values()].reduce((n, list) => n + list.length, 0),
    refunds: [...refunds.values()].reduce((n, list) => n + list.length, 0),
    orphanCharges,
    problems,
  };
}
