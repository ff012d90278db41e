import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccountsSettings } from '../modules/accounts/index.js';
import { MediaSettings } from '../modules/media/index.js';
import { NotificationsSettings } from '../modules/notifications/index.js';
import type { AppConfig } from './config.js';

/**
 * Hands each feature module the slice of configuration it declared (a settings token in its
 * public API). Global so modules inject their settings without importing the app shell.
 */
@Global()
@Module({})
export class SettingsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const accounts: AccountsSettings = { startingCredits: config.startingCredits, webhookAllowedHosts: config.webhooks.allowedHosts };
    const media: MediaSettings = {
      generationMs: config.media.generationMs,
      storageDir: config.media.storageDir,
      leaseMs: config.media.leaseMs,
      ...(config.media.testCrashAfter ? { testCrashAfter: config.media.testCrashAfter } : {}),
    };
    const notifications: NotificationsSettings = { webhookAllowedHosts: config.webhooks.allowedHosts };
    return {
      module: SettingsModule,
      providers: [
        { provide: AccountsSettings, useValue: accounts },
        { provide: MediaSettings, useValue: media },
        { provide: NotificationsSettings, useValue: notifications },
      ],
      exports: [AccountsSettings, MediaSettings, NotificationsSettings],
    };
  }
}
