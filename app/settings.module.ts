import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccountsSettings } from '../modules/accounts/index.js';
import { MediaSettings } from '../modules/media/index.js';
import type { AppConfig } from './config.js';

/**
 * Hands each feature module the slice of configuration it declared (a settings token in its
 * public API). Global so modules inject their settings without importing the app shell.
 */
@Global()
@Module({})
export class SettingsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const accounts: AccountsSettings = { startingCredits: config.startingCredits };
    const media: MediaSettings = { generationMs: config.media.generationMs, storageDir: config.media.storageDir };
    return {
      module: SettingsModule,
      providers: [
        { provide: AccountsSettings, useValue: accounts },
        { provide: MediaSettings, useValue: media },
      ],
      exports: [AccountsSettings, MediaSettings],
    };
  }
}
