import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifest, writeFile } from '../../boundaries/support/project.js';

// The same file and module.json writers as the boundary tests' fixtures.
export { manifest, writeFile };

const created: string[] = [];

/** Writes a fixture project (path -> text) into a fresh temp dir, with an ESM package.json and tsconfig unless given. */
export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'modulith-extract-'));
  created.push(root);
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'shop', private: true, type: 'module' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, experimentalDecorators: true, emitDecoratorMetadata: true },
      include: ['modules', 'src'],
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) writeFile(root, path, text);
  return root;
}

export function removeProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A small shop that is ready to extract `media`: media depends on billing and injects its facade
 * (charge), publishes media.job.failed (declared in the shared media-events, listened to by
 * billing) and listens to billing.account.closed. Every facade carries a complete @Facade.
 */
export function readyShop(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'modules/media-events/module.json': manifest('media-events', [], { shared: true }),
    'modules/media-events/index.ts': "export { JobFailed } from './job-failed.js';\n",
    'modules/media-events/job-failed.ts': `import { ModuleEvent } from 'nest-modulith/events';

@ModuleEvent({ name: 'media.job.failed', version: 2, module: 'media-events' })
export class JobFailed {
  constructor(readonly jobId: string, readonly accountId: string) {}
}
`,
    'modules/billing/module.json': manifest('billing'),
    'modules/billing/index.ts': `export { BillingModule } from './billing.module.js';
export { BillingFacade, type Balance, type ChargeInput } from './billing.facade.js';
export { AccountClosed } from './account-closed.event.js';
`,
    'modules/billing/billing.facade.ts': `import { Facade } from 'nest-modulith';

export interface ChargeInput { accountId: string; amount: number }
export interface Balance { accountId: string; credits: number; updatedAt: string }

@Facade<BillingFacade>({ charge: true })
export abstract class BillingFacade {
  abstract charge(input: ChargeInput): Promise<Balance>;
}
`,
    'modules/billing/account-closed.event.ts': `import { ModuleEvent } from 'nest-modulith/events';

@ModuleEvent({ name: 'billing.account.closed' })
export class AccountClosed {
  constructor(readonly accountId: string) {}
}
`,
    'modules/billing/credit-balance.entity.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'billing_balances' })
export class CreditBalance {
  @PrimaryColumn() accountId!: string;
  @Column() credits!: number;
}
`,
    'modules/billing/billing.service.ts': `import { Injectable } from '@nestjs/common';
import { EventPublisher } from 'nest-modulith/events';
import { AccountClosed } from './account-closed.event.js';
import { BillingFacade, type Balance, type ChargeInput } from './billing.facade.js';

@Injectable()
export class BillingService implements BillingFacade {
  constructor(private readonly events: EventPublisher) {}
  async charge(input: ChargeInput): Promise<Balance> {
    return { accountId: input.accountId, credits: 0, updatedAt: new Date().toISOString() };
  }
  async close(accountId: string): Promise<void> {
    await this.events.publish(new AccountClosed(accountId));
  }
}
`,
    'modules/billing/refund.listener.ts': `import { Injectable } from '@nestjs/common';
import { OnModuleEvent } from 'nest-modulith/events';
import { JobFailed } from '../media-events/index.js';

@Injectable()
export class RefundFailedJobs {
  @OnModuleEvent(JobFailed, { id: 'billing.refund-failed-job' })
  async refund(event: JobFailed): Promise<void> {}
}
`,
    'modules/billing/billing.module.ts': `import { TypeOrmModule } from '@nestjs/typeorm';
import { FeatureModule } from 'nest-modulith';
import { BillingFacade } from './billing.facade.js';
import { BillingService } from './billing.service.js';
import { CreditBalance } from './credit-balance.entity.js';
import { RefundFailedJobs } from './refund.listener.js';

@FeatureModule({
  name: 'billing',
  imports: [TypeOrmModule.forFeature([CreditBalance])],
  providers: [BillingService, RefundFailedJobs],
  facades: [{ provide: BillingFacade, useExisting: BillingService }],
})
export class BillingModule {}
`,
    'modules/media/module.json': manifest('media', ['billing']),
    'modules/media/index.ts': `export { MediaModule } from './media.module.js';
export { MediaFacade, type JobView } from './media.facade.js';
`,
    'modules/media/media.facade.ts': `import { Facade } from 'nest-modulith';

export interface JobView { id: string; status: 'queued' | 'done'; createdAt: string; tags: string[] }

@Facade<MediaFacade>({ getJob: true })
export abstract class MediaFacade {
  abstract getJob(id: string): Promise<JobView | null>;
}
`,
    'modules/media/media-job.entity.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity()
export class MediaJob {
  @PrimaryColumn() id!: string;
  @Column() status!: string;
  @Column() createdAt!: Date;
}
`,
    'modules/media/media.service.ts': `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { EventPublisher } from 'nest-modulith/events';
import { BillingFacade } from '../billing/index.js';
import { JobFailed } from '../media-events/index.js';
import { MediaFacade, type JobView } from './media.facade.js';
import { MediaJob } from './media-job.entity.js';

@Injectable()
export class MediaService implements MediaFacade {
  constructor(
    @InjectRepository(MediaJob) private readonly jobs: Repository<MediaJob>,
    private readonly billing: BillingFacade,
    private readonly events: EventPublisher,
  ) {}

  async submit(accountId: string): Promise<void> {
    await this.billing.charge({ accountId, amount: 1 });
    await this.events.transaction(async (_manager, publish) => {
      await publish(new JobFailed('job-1', accountId));
    });
  }

  async getJob(id: string): Promise<JobView | null> {
    const job = await this.jobs.findOneBy({ id });
    return job ? { id: job.id, status: 'done', createdAt: job.createdAt.toISOString(), tags: [] } : null;
  }
}
`,
    'modules/media/account-closed.listener.ts': `import { Injectable } from '@nestjs/common';
import { OnModuleEvent } from 'nest-modulith/events';
import { AccountClosed } from '../billing/index.js';

@Injectable()
export class CancelJobs {
  @OnModuleEvent(AccountClosed, { id: 'media.cancel-jobs' })
  async cancel(event: AccountClosed): Promise<void> {}
}
`,
    'modules/media/media.module.ts': `import { TypeOrmModule } from '@nestjs/typeorm';
import { FeatureModule } from 'nest-modulith';
import { BillingModule } from '../billing/index.js';
import { CancelJobs } from './account-closed.listener.js';
import { MediaFacade } from './media.facade.js';
import { MediaJob } from './media-job.entity.js';
import { MediaService } from './media.service.js';

@FeatureModule({
  name: 'media',
  imports: [TypeOrmModule.forFeature([MediaJob]), BillingModule],
  providers: [MediaService, CancelJobs],
  facades: [{ provide: MediaFacade, useExisting: MediaService }],
})
export class MediaModule {}
`,
    'modules/notifications/module.json': manifest('notifications', ['media']),
    'modules/notifications/index.ts': "export { NotificationsModule } from './notifications.module.js';\n",
    'modules/notifications/notifications.module.ts': `import { FeatureModule } from 'nest-modulith';
import { MediaModule } from '../media/index.js';
import { JobMailer } from './job-mailer.js';

@FeatureModule({ name: 'notifications', imports: [MediaModule], providers: [JobMailer] })
export class NotificationsModule {}
`,
    'modules/notifications/job-mailer.ts': `import { Injectable } from '@nestjs/common';
import { MediaFacade } from '../media/index.js';

@Injectable()
export class JobMailer {
  constructor(private readonly media: MediaFacade) {}
  async mail(id: string): Promise<string> {
    const job = await this.media.getJob(id);
    return job ? job.status : 'unknown';
  }
}
`,
    ...extra,
  };
}
