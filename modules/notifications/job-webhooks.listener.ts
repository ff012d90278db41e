import { Injectable } from '@nestjs/common';
import { OnModuleEvent, type DeliveryContext } from 'nest-modulith/events';
import { MediaJobCompleted, MediaJobFailed } from '../media-events/index.js';
import { WebhookSender } from './webhook-sender.service.js';

/**
 * Sends the account's webhook for each job outcome. Runs through the outbox: a receiver that is
 * down makes the delivery fail and retry with backoff, and every retry carries the same event id
 * (the webhook body's `id`), so receivers can deduplicate.
 */
@Injectable()
export class JobWebhooks {
  constructor(private readonly sender: WebhookSender) {}

  @OnModuleEvent(MediaJobCompleted, { id: 'notifications.job-completed-webhook' })
  completed(event: MediaJobCompleted, delivery: DeliveryContext): Promise<void> {
    return this.sender.send(event.accountId, { id: delivery.eventId, type: delivery.eventName, data: { ...event } });
  }

  @OnModuleEvent(MediaJobFailed, { id: 'notifications.job-failed-webhook' })
  failed(event: MediaJobFailed, delivery: DeliveryContext): Promise<void> {
    return this.sender.send(event.accountId, { id: delivery.eventId, type: delivery.eventName, data: { ...event } });
  }
}
