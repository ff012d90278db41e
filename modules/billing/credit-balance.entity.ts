import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per account: the current number of credits (the ledger explains how it got there). */
@Entity({ name: 'billing_balances' })
export class CreditBalance {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  @Column({ type: 'integer' })
  credits: number;
}
