import { FeatureModule } from 'nest-modulith';
import { AccountsModule } from '../accounts/index.js';
import { NotificationsFacade } from './notifications.facade.js';
import { WebhookSenderService } from './webhook-sender.service.js';

@FeatureModule({
  name: 'notifications',
  imports: [AccountsModule],
  facades: [{ provide: NotificationsFacade, useClass: WebhookSenderService }],
})
export class NotificationsModule {}
