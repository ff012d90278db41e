import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModulithModule, topologyKey, type Topology } from 'nest-modulith';
import { ModulithCacheModule } from 'nest-modulith/cache';
import { ModulithEventsModule, type EventsOptions } from 'nest-modulith/events';
import { migrateOnConnect } from 'nest-modulith/migrations';
import { AccountsModule } from '../modules/accounts/index.js';
import { BillingModule } from '../modules/billing/index.js';
import { MediaModule } from '../modules/media/index.js';
import { NotificationsModule } from '../modules/notifications/index.js';
import { ApiKeyGuard } from './api-key.guard.js';
import type { AppConfig } from './config.js';
import { typeOrmOptions } from './database.js';
import { HealthController } from './health.controller.js';
import { SettingsModule } from './settings.module.js';
import { stopTelemetry } from './telemetry.js';

/** The app's feature modules: composed by ModulithModule, migrated (each from its own migrations/ folder) by migrateOnConnect. */
const MODULES = [BillingModule, AccountsModule, NotificationsModule, MediaModule];

/**
 * The app shell. HTTP layout: every module serves its routes under a prefix equal to its name
 * (/accounts, /billing, /media), and the shell owns only `/`. That is deliberate: when a module
 * is later extracted into its own process, a gateway forwards `/media/*` to it and clients keep
 * one public URL.
 */
@Module({})
export class AppModule implements OnApplicationShutdown {
  /**
   * Nest calls the root module's hook last: every other module has closed (its spans ended),
   * so the telemetry SDK, if main.ts started one, flushes them before SIGTERM ends the process.
   */
  async onApplicationShutdown(): Promise<void> {
    await stopTelemetry();
  }

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.forRoot(config),
        // Each module's migrations (and the outbox's) run when the database connects, before
        // anything uses it; only the modules this process hosts migrate its database.
        TypeOrmModule.forRootAsync({
          useFactory: () => typeOrmOptions(config.database),
          dataSourceFactory: migrateOnConnect({ modules: MODULES, topology: config.topology, events: true }),
        }),
        ModulithModule.forRoot({
          // No rootDir: each module's module.json is found next to its compiled file, so the
          // build boots from any working directory (npm run build copies them into dist/).
          modules: MODULES,
          topology: config.topology,
        }),
        // Module events through the transactional outbox (tables modulith_*, in the app's database).
        // With a broker, events also cross to the other processes' listeners over JetStream.
        ModulithEventsModule.forRoot({ ...config.events, ...eventRelay(config.topology) }),
        // Each module's cache (billing's statements): in Redis with REDIS_URL, its keys under the module's name.
        ModulithCacheModule.forRoot({ ...config.cache, ...(config.topology.broker ? { namespace: config.topology.broker.namespace } : {}) }),
        // Imported again (same instance) only so the guard can inject AccountsFacade.
        AccountsModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    };
  }
}

/** The events relay of this process's place in the topology; none when everything runs here. */
function eventRelay(topology: Topology): Pick<EventsOptions, 'relay'> {
  const broker = topology.broker;
  if (!broker) return {};
  return {
    relay: {
      servers: broker.url,
      namespace: broker.namespace,
      origin: topologyKey(topology),
      ...(broker.token ? { token: broker.token } : {}),
      ...(broker.user ? { user: broker.user, pass: broker.password ?? '' } : {}),
      ...(broker.nkeySeed ? { nkeySeed: broker.nkeySeed } : {}),
      ...(broker.credsFile ? { credsFile: broker.credsFile } : {}),
      ...(broker.insecure ? { insecure: true } : {}),
      ...(broker.inboxPrefix ? { inboxPrefix: broker.inboxPrefix } : {}),
    },
  };
}
