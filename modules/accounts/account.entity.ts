import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'accounts_accounts' })
export class Account {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  // Only a hash is stored: the key itself is shown once, at creation, and a leaked database
  // cannot be replayed against the API.
  @Index('accounts_accounts_api_key_hash', { unique: true })
  @Column({ name: 'api_key_hash', type: 'varchar', length: 64 })
  apiKeyHash: string;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2000, nullable: true })
  webhookUrl: string | null;

  // Kept in clear: signing needs the key itself.
  @Column({ name: 'webhook_secret', type: 'varchar', length: 100 })
  webhookSecret: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
