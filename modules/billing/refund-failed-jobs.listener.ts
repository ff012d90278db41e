import { Injectable } from '@nestjs/common';
import { OnModuleEvent } from 'nest-modulith/events';
import { MediaJobFailed } from '../media-events/index.js';
import { BillingService } from './billing.service.js';

/**
 * A failed job gives its credit back. The outbox delivers at least once; the refund is
 * idempotent per job (billing checks its ledger), so a redelivery refunds nothing twice.
 */
@Injectable()
export class RefundFailedJobs {
  constructor(private readonly billing: BillingService) {}

  @OnModuleEvent(MediaJobFailed, { id: 'billing.refund-failed-job' })
  async refund(event: MediaJobFailed): Promise<void> {
    await this.billing.refund({ accountId: event.accountId, jobId: event.jobId });
  }
}
