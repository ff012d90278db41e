import { FeatureModule } from 'nest-modulith';
import { AccountsModule } from '../accounts/index.js';
import { JobWebhooks } from './job-webhooks.listener.js';
import { WebhookSender } from './webhook-sender.service.js';

/** Listens to job outcomes and delivers them as signed webhooks. It has no facade: nobody calls it. */
@FeatureModule({
  name: 'notifications',
  imports: [AccountsModule],
  providers: [WebhookSender, JobWebhooks],
})
export class NotificationsModule {}
