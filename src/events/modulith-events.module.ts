import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OUTBOX_ENTITIES } from './entities/index.js';
import { EventPublisher, OUTBOX_DATA_SOURCE } from './event-publisher.js';
import { EVENTS_OPTIONS, resolveEventsOptions, type EventsOptions } from './events-options.js';
import { Inbox } from './inbox.js';
import { ListenerRegistry } from './listener-registry.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { OutboxStore } from './outbox-store.js';
import { EventPublicationRegistry } from './publication-registry.js';
import { EventRelay } from './relay/event-relay.js';
import { relayProviders } from './relay/relay-providers.js';
import { validateRelayOptions } from './relay/relay-options.js';

/**
 * Module events through a transactional outbox. Import once in the app module, after
 * TypeOrmModule.forRoot and next to ModulithModule.forRoot:
 *
 *   imports: [TypeOrmModule.forRoot({ ..., autoLoadEntities: true }),
 *             ModulithModule.forRoot({ modules }), ModulithEventsModule.forRoot()]
 *
 * It is global on purpose: publishing is infrastructure every module may use without declaring
 * a dependency; which events a module may *listen* to is still checked against the model.
 *
 * With `relay` (NATS JetStream), events also cross to other processes running other modules on
 * databases of their own: see relay/relay-options.ts.
 */
@Module({})
export class ModulithEventsModule {
  static forRoot(options: EventsOptions = {}): DynamicModule {
    const resolved = resolveEventsOptions(options, `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`);
    const relay = options.relay ? validateRelayOptions(options.relay) : undefined;
    return {
      module: ModulithEventsModule,
      global: true,
      imports: [DiscoveryModule, TypeOrmModule.forFeature(OUTBOX_ENTITIES, options.dataSource)],
      providers: [
        { provide: EVENTS_OPTIONS, useValue: resolved },
        { provide: OUTBOX_DATA_SOURCE, useExisting: getDataSourceToken(options.dataSource) },
        { provide: OutboxStore, useFactory: (dataSource: DataSource) => new OutboxStore(dataSource), inject: [OUTBOX_DATA_SOURCE] },
        ListenerRegistry,
        OutboxDispatcher,
        EventPublisher,
        EventPublicationRegistry,
        Inbox,
        ...relayProviders(relay),
      ],
      exports: [EventPublisher, EventPublicationRegistry, Inbox, OutboxDispatcher, ...(relay ? [EventRelay] : [])],
    };
  }
}
