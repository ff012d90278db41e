import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ModuleTest, type ModuleSlice } from 'nest-modulith/testing';
import { WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { AccountsFacade } from '../accounts/index.js';
import { MediaJobCompleted } from '../media-events/index.js';
import { NotificationsModule } from './notifications.module.js';
import { NotificationsSettings } from './notifications.settings.js';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';

// Notifications alone: accounts (and billing behind it) are stubs; media's event is published
// through the real outbox and the webhook goes to a real HTTP receiver on 127.0.0.1.
let slice: ModuleSlice;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  const settings: NotificationsSettings = { webhookAllowedHosts: ['127.0.0.1'] };
  slice = await ModuleTest.create(NotificationsModule, { providers: [{ provide: NotificationsSettings, useValue: settings }] });
});
afterAll(async () => {
  await slice.close();
  await receiver.close();
});

it('runs notifications alone, accounts and billing stubbed', () => {
  expect(slice.modules).toEqual({ inSlice: ['notifications'], stubbed: ['accounts', 'billing'] });
});

it('delivers a signed webhook for media.job.completed to the account’s URL', async () => {
  slice.stubs.of(AccountsFacade).on('webhookTarget', async (accountId) => ({ accountId, url: receiver.url, secret: 'shh' }));
  const at = new Date().toISOString();
  const event = new MediaJobCompleted({ jobId: 'job-1', accountId: 'acc-1', prompt: 'a fox', kind: 'image', createdAt: at, completedAt: at, resultUrl: '/media/jobs/job-1/result' });

  const hook = await slice
    .scenario()
    .publish(event)
    .andWaitForStateChange((eventId) => receiver.received.find((received) => received.json.id === eventId));
  expect(hook.json).toMatchObject({ type: 'media.job.completed', data: { jobId: 'job-1', accountId: 'acc-1', status: 'completed' } });
  expect(hook.headers[SIGNATURE_HEADER]).toBe(signWebhookBody(hook.rawBody.toString('utf8'), 'shh'));
  expect(slice.stubs.of(AccountsFacade).calls('webhookTarget')).toEqual([['acc-1']]);
});
